'use client';

import {
  ActionIcon,
  Anchor,
  Box,
  Button,
  Card,
  Group,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ConfirmByNameModal } from '~/components/confirm-by-name-modal';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty, ErrorState, LoadingRows } from '~/components/states';
import { type EditableStore, StoreFormModal } from '~/components/stores/store-form-modal';
import { errorMessage } from '~/lib/errors';
import { STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { useTRPC } from '~/trpc/react';

export function StoresView() {
  const trpc = useTRPC();
  const space = useSpace();
  const queryClient = useQueryClient();
  const stores = useQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT));
  const canManage = space.can('mad.store.manage');
  const [editing, setEditing] = useState<EditableStore | null | 'new'>(null);
  const [deleting, setDeleting] = useState<EditableStore | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.store.delete.mutationOptions({
      onSuccess: async () => {
        notifications.show({
          color: 'teal',
          title: 'Store deleted',
          message: `${deleting?.name ?? 'The store'} and everything in it are gone.`,
        });
        setDeleting(null);
        await queryClient.invalidateQueries(trpc.store.list.pathFilter());
      },
      onError: (error) => setDeleteError(errorMessage(error)),
    }),
  );
  const columns = canManage ? 3 : 2;
  const router = useRouter();
  // A list of one store is only an extra click for someone who cannot add another: open it.
  const only = !canManage && stores.data?.items.length === 1 ? stores.data.items[0] : undefined;
  useEffect(() => {
    if (only) router.replace(`/console/${space.slug}/stores/${only.id}`);
  }, [only, router, space.slug]);
  return (
    <>
      <PageHeader
        title="Stores"
        description={`The private app stores of ${withoutFinalDot(space.name)}. Open one to manage its OTP users.`}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
              New store
            </Button>
          )
        }
      />
      <Card withBorder padding={0}>
        {stores.isError ? (
          <Box p="md">
            <ErrorState error={stores.error} onRetry={() => void stores.refetch()} />
          </Box>
        ) : (
          <Table.ScrollContainer minWidth={360} type="native">
            <Table highlightOnHover verticalSpacing="sm" aria-label="Stores">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Store</Table.Th>
                  <Table.Th>Description</Table.Th>
                  {canManage && (
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {!stores.data ? (
                  <LoadingRows columns={columns} rows={2} />
                ) : stores.data.items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={columns}>
                      <Empty
                        title="No stores yet"
                        description={
                          canManage
                            ? 'Create a store, then add its published applications and OTP users.'
                            : 'Stores appear here once an admin creates them.'
                        }
                      />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  stores.data.items.map((store) => (
                    <Table.Tr key={store.id}>
                      <Table.Td>
                        <Anchor component={Link} href={`/console/${space.slug}/stores/${store.id}`}>
                          {store.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" lineClamp={2}>
                          {store.description}
                        </Text>
                      </Table.Td>
                      {canManage && (
                        <Table.Td>
                          <Group gap={4} justify="flex-end" wrap="nowrap">
                            <Tooltip label="Edit">
                              <ActionIcon
                                variant="subtle"
                                aria-label={`Edit ${store.name}`}
                                onClick={() => setEditing(store)}
                              >
                                <IconEdit size={18} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Delete">
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`Delete ${store.name}`}
                                onClick={() => {
                                  setDeleteError(null);
                                  setDeleting(store);
                                }}
                              >
                                <IconTrash size={18} />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <StoreFormModal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        store={editing === 'new' ? null : editing}
      />
      {deleting && (
        <ConfirmByNameModal
          opened
          onClose={() => setDeleting(null)}
          title="Delete store"
          name={deleting.name}
          consequences={`${deleting.name} is deleted with its published applications, their builds, its OTP users and their download history. This cannot be undone.`}
          confirmLabel="Delete store"
          busy={remove.isPending}
          error={deleteError}
          onConfirm={() => remove.mutate({ storeId: deleting.id })}
        />
      )}
    </>
  );
}

/** "Demo Inc." ends its own sentence: no second full stop after it. */
function withoutFinalDot(name: string): string {
  return name.replace(/\.+$/, '');
}
