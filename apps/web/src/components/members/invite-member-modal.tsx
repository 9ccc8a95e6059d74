'use client';

import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ROLES, type Role, ZAdminEmail, ZRole } from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { notifyDone } from '~/components/feedback';
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
  return (
    <Modal opened={opened} onClose={onClose} title="Invite member">
      {opened && <InviteForm onInvited={onClose} onCancel={onClose} />}
    </Modal>
  );
}

function InviteForm({ onInvited, onCancel }: { onInvited: () => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<{ email: string; role: Role }>({
    initialValues: { email: '', role: 'VIEWER' },
    validate: zodFormResolver(ZInviteForm),
  });
  const invite = useMutation(
    trpc.member.invite.mutationOptions({
      onSuccess: async ({ invitation }) => {
        notifyDone(
          'Invitation sent',
          `${invitation.email} is invited as ${ROLE_LABELS[invitation.role].toLowerCase()}. They join when they accept it.`,
        );
        await queryClient.invalidateQueries(trpc.member.invitations.queryFilter());
        onInvited();
      },
    }),
  );
  const role = form.getValues().role;
  // The Cancel/submit footer is Mantine's modal convention, as in the other modals; only the labels differ.
  return (
    <form onSubmit={form.onSubmit((values) => invite.mutate(values))} noValidate>
      <Stack>
        <Text size="sm" c="dimmed">
          We email them a link. They join only when they accept: a new admin chooses a password there, an
          existing one accepts after signing in.
        </Text>
        {invite.error && (
          <Alert color="red" role="alert">
            {invite.error.message}
          </Alert>
        )}
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
