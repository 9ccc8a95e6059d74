'use client';

import { ActionIcon, Anchor, Button, Card, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ConfirmByNameModal } from '~/components/confirm-by-name-modal';
import { DataTable, tableStateOf } from '~/components/data-table';
import { notifyDone } from '~/components/feedback';
import { PageHeader } from '~/components/page-header';
import { useSpace } from '~/components/space-context';
import { Empty } from '~/components/states';
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
        notifyDone('Store deleted', `${deleting?.name ?? 'The store'} and everything in it are gone.`);
        setDeleting(null);
        await queryClient.invalidateQueries(trpc.store.list.pathFilter());
      },
      onError: (error) => setDeleteError(errorMessage(error)),
    }),
  );
  const router = useRouter();
  // A list of one store is only an extra click for someone who cannot add another: open it.
  const only = !canManage && stores.data?.items.length === 1 ? stores.data.items[0] : undefined;
  useEffect(() => {
    if (only) router.replace(`/console/${space.slug}/stores/${only.id}`);
  }, [only, router, space.slug]);
  // Like the other console lists on purpose: DataTable holds what is shared; the columns and row actions are this list's own.
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
        <DataTable
          label="Stores"
          minWidth={360}
          rows={stores.data?.items}
          rowKey={(store) => store.id}
          {...tableStateOf(stores)}
          loadingRows={2}
          empty={
            <Empty
              title="No stores yet"
              description={
                canManage
                  ? 'Create a store, then add its published applications and OTP users.'
                  : 'Stores appear here once an admin creates them.'
              }
            />
          }
          columns={[
            {
              key: 'name',
              header: 'Store',
              cell: (store) => (
                <Anchor component={Link} href={`/console/${space.slug}/stores/${store.id}`}>
                  {store.name}
                </Anchor>
              ),
            },
            {
              key: 'description',
              header: 'Description',
              cell: (store) => (
                <Text size="sm" c="dimmed" lineClamp={2}>
                  {store.description}
                </Text>
              ),
            },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    header: <VisuallyHidden>Actions</VisuallyHidden>,
                    actions: true,
                    width: 96,
                    cell: (store: EditableStore) => (
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
                    ),
                  },
                ]
              : []),
          ]}
        />
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
