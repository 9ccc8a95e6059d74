'use client';

import { Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { ROLES, type Role, ZAdminEmail, ZRole } from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { z } from 'zod';
import { SecretReveal } from '~/components/secret-reveal';
import { zodFormResolver } from '~/lib/form-resolver';
import { ROLE_LABELS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';

const ROLE_HELP: Record<Role, string> = {
  OWNER: 'Everything, including API keys and members.',
  ADMIN: 'Manages OTP users and delivery settings; reads the audit log.',
  VIEWER: 'Reads OTP users, settings and members; changes nothing.',
};

/** The same shape as the API's invite input. */
const ZInviteForm = z.object({ email: ZAdminEmail, role: ZRole });

export function InviteMemberModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [invited, setInvited] = useState<{ email: string; password: string } | null>(null);
  const close = () => {
    setInvited(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={invited ? 'Member invited' : 'Invite member'}
      closeOnClickOutside={!invited}
      closeOnEscape={!invited}
      withCloseButton={!invited}
    >
      {opened &&
        (invited ? (
          <Stack>
            <Text size="sm">
              A new account was created for <b>{invited.email}</b>. Hand them this initial password over a
              safe channel.
            </Text>
            <SecretReveal
              label="Initial password"
              value={invited.password}
              warning="This password is shown only now."
            />
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <InviteForm
            onInvited={(email, password) => (password ? setInvited({ email, password }) : close())}
            onCancel={close}
          />
        ))}
    </Modal>
  );
}

function InviteForm({
  onInvited,
  onCancel,
}: {
  onInvited: (email: string, initialPassword: string | null) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<{ email: string; role: Role }>({
    initialValues: { email: '', role: 'VIEWER' },
    validate: zodFormResolver(ZInviteForm),
  });
  const invite = useMutation(
    trpc.member.invite.mutationOptions({
      onSuccess: async ({ member, initialPassword }) => {
        notifications.show({
          color: 'teal',
          title: 'Member added',
          message: `${member.email} joined as ${ROLE_LABELS[member.role].toLowerCase()}.`,
        });
        await queryClient.invalidateQueries(trpc.member.list.queryFilter());
        onInvited(member.email, initialPassword);
      },
    }),
  );
  const role = form.getValues().role;
  return (
    <form onSubmit={form.onSubmit((values) => invite.mutate(values))} noValidate>
      <Stack>
        <TextInput label="Email" type="email" required data-autofocus {...form.getInputProps('email')} />
        <Stack gap={4}>
          <Text size="sm" fw={500} id="invite-role-label">
            Role
          </Text>
          <SegmentedControl
            aria-labelledby="invite-role-label"
            data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
            {...form.getInputProps('role')}
          />
          <Text size="xs" c="dimmed">
            {ROLE_HELP[role]}
          </Text>
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.isPending}>
            Invite
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
