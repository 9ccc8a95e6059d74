'use client';

import { Badge, Button, Card, Code, Group, Popover, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { DataTable } from '~/components/data-table';
import { DateTime } from '~/components/date-time';
import { confirmDestructive, notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { Empty } from '~/components/states';
import { PERMISSION_GROUPS } from '~/lib/permissions';
import { useTRPC } from '~/trpc/react';
import { CreateApiKeyModal } from './create-api-key-modal';

const PERMISSION_LABEL = new Map(
  PERMISSION_GROUPS.flatMap((group) => group.permissions.map((p) => [p.value, `${group.label}: ${p.label}`])),
);

export function ApiKeysView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKey.list.queryOptions());
  const [creating, { open, close }] = useDisclosure(false);
  const revoke = useMutation(
    trpc.apiKey.revoke.mutationOptions({
      onSuccess: async (key) => {
        notifyDone('API key revoked', `${key.name} no longer works.`);
        await queryClient.invalidateQueries(trpc.apiKey.list.queryFilter());
      },
    }),
  );
  const confirmRevoke = (key: { id: string; name: string }) =>
    confirmDestructive({
      title: 'Revoke API key',
      message: `Scripts using “${key.name}” stop working on their next request. This cannot be undone.`,
      confirm: 'Revoke',
      onConfirm: () => revoke.mutate({ id: key.id }),
    });

  // Like the members and stores lists on purpose: DataTable holds what is shared, the columns are this list's own.
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let scripts and other systems call the API with the permissions you choose."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={open}>
            Create key
          </Button>
        }
      />
      <Card withBorder padding={0}>
        <DataTable
          label="API keys"
          minWidth={720}
          loadingRows={3}
          rows={keys.data}
          rowKey={(key) => key.id}
          error={keys.error}
          onRetry={() => void keys.refetch()}
          empty={
            <Empty
              title="No API keys yet"
              description="Create one for each script or system, so each can be revoked on its own."
            />
          }
          columns={[
            {
              key: 'name',
              header: 'Name',
              cell: (key) => (
                <Text size="sm" fw={500}>
                  {key.name}
                </Text>
              ),
            },
            { key: 'prefix', header: 'Key', cell: (key) => <Code>{key.prefix}…</Code> },
            {
              key: 'permissions',
              header: 'Permissions',
              cell: (key) => (
                <Popover position="bottom-start" withArrow shadow="md">
                  <Popover.Target>
                    <Button variant="subtle" size="compact-sm" px={4}>
                      {key.permissions.length} permission{key.permissions.length === 1 ? '' : 's'}
                    </Button>
                  </Popover.Target>
                  <Popover.Dropdown>
                    <Stack gap={2}>
                      {key.permissions.map((p) => (
                        <Text key={p} size="xs">
                          {PERMISSION_LABEL.get(p) ?? p}
                        </Text>
                      ))}
                    </Stack>
                  </Popover.Dropdown>
                </Popover>
              ),
            },
            { key: 'created', header: 'Created', cell: (key) => <DateTime value={key.createdAt} /> },
            {
              key: 'used',
              header: 'Last used',
              cell: (key) => <DateTime value={key.lastUsedAt} empty="Never" />,
            },
            {
              key: 'status',
              header: 'Status',
              cell: (key) =>
                key.revokedAt ? (
                  <Badge color="gray" variant="light">
                    Revoked
                  </Badge>
                ) : (
                  <Badge color="teal" variant="light">
                    Active
                  </Badge>
                ),
            },
            {
              key: 'actions',
              header: <VisuallyHidden>Actions</VisuallyHidden>,
              actions: true,
              cell: (key) =>
                !key.revokedAt && (
                  <Group justify="flex-end">
                    <Button
                      size="compact-sm"
                      color="red"
                      variant="subtle"
                      onClick={() => confirmRevoke(key)}
                      aria-label={`Revoke ${key.name}`}
                    >
                      Revoke
                    </Button>
                  </Group>
                ),
            },
          ]}
        />
      </Card>
      <CreateApiKeyModal opened={creating} onClose={close} />
    </>
  );
}
