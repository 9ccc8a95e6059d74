'use client';

import { Button, Checkbox, Fieldset, Group, Modal, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { type Permission, ZCreateApiKeyBody } from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { notifyDone } from '~/components/feedback';
import { SecretReveal } from '~/components/secret-reveal';
import { useSpace } from '~/components/space-context';
import { zodFormResolver } from '~/lib/form-resolver';
import { PERMISSION_GROUPS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';

const READ_ONLY: Permission[] = ['mad.store.otpUsers.list', 'mad.store.otpUsers.get', 'otp.settings.read'];

export function CreateApiKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? `API key “${created.name}”` : 'Create API key'}
      size="lg"
      // Once the key is shown only “Done” closes it: a stray click or Escape would lose it.
      closeOnClickOutside={!created}
      closeOnEscape={!created}
      withCloseButton={!created}
    >
      {opened &&
        (created ? (
          <Stack>
            <SecretReveal
              label="API key"
              value={created.key}
              warning="This is the only time the key is shown. Store it somewhere safe; if it is lost, revoke it and create another."
            />
            <Text size="sm" c="dimmed">
              Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
            </Text>
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <CreateForm onCreated={setCreated} onCancel={close} />
        ))}
    </Modal>
  );
}

function CreateForm({
  onCreated,
  onCancel,
}: {
  onCreated: (created: { name: string; key: string }) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const form = useForm<{ name: string; permissions: Permission[] }>({
    initialValues: { name: '', permissions: [] },
    validate: zodFormResolver(ZCreateApiKeyBody),
  });
  const create = useMutation(
    trpc.apiKey.create.mutationOptions({
      onSuccess: async ({ apiKey, key }) => {
        notifyDone('API key created', apiKey.name);
        await queryClient.invalidateQueries(trpc.apiKey.list.queryFilter());
        onCreated({ name: apiKey.name, key });
      },
    }),
  );
  // A key never holds more than its creator.
  const grantable = PERMISSION_GROUPS.map((group) => ({
    ...group,
    permissions: group.permissions.filter((p) => space.can(p.value)),
  })).filter((group) => group.permissions.length > 0);
  const all = grantable.flatMap((group) => group.permissions.map((p) => p.value));

  return (
    <form onSubmit={form.onSubmit((values) => create.mutate(values))} noValidate>
      <Stack>
        <TextInput
          label="Name"
          description="What uses it, e.g. “CI import script”"
          required
          data-autofocus
          {...form.getInputProps('name')}
        />
        <Checkbox.Group
          label="Permissions"
          description="Grant only what it needs."
          required
          {...form.getInputProps('permissions')}
        >
          <Group gap="xs" mt="xs" mb="sm">
            <Button size="compact-xs" variant="light" onClick={() => form.setFieldValue('permissions', all)}>
              All
            </Button>
            <Button
              size="compact-xs"
              variant="light"
              onClick={() =>
                form.setFieldValue(
                  'permissions',
                  READ_ONLY.filter((p) => all.includes(p)),
                )
              }
            >
              Read only
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              onClick={() => form.setFieldValue('permissions', [])}
            >
              None
            </Button>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            {grantable.map((group) => (
              <Fieldset key={group.label} legend={group.label} p="sm">
                <Stack gap={8}>
                  {group.permissions.map((p) => (
                    <Checkbox key={p.value} value={p.value} label={p.label} size="sm" />
                  ))}
                </Stack>
              </Fieldset>
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
