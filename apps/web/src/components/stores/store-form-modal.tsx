'use client';

import { Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { ZCreateStoreBody } from '@otp-access/validators';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { notifyDone } from '~/components/feedback';
import { zodFormResolver } from '~/lib/form-resolver';
import { useTRPC } from '~/trpc/react';

export interface EditableStore {
  id: string;
  name: string;
  description: string;
}

/** Creates a store, or renames one and changes its description (`store` given). */
export function StoreFormModal({
  opened,
  onClose,
  store,
}: {
  opened: boolean;
  onClose: () => void;
  store?: EditableStore | null;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={store ? 'Edit store' : 'New store'}>
      {opened && <StoreForm key={store?.id ?? 'new'} store={store ?? null} onDone={onClose} />}
    </Modal>
  );
}

function StoreForm({ store, onDone }: { store: EditableStore | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: { name: store?.name ?? '', description: store?.description ?? '' },
    validate: zodFormResolver(ZCreateStoreBody),
  });
  const refresh = () => queryClient.invalidateQueries(trpc.store.list.pathFilter());
  // Create and update end alike on purpose: a notice, the list loaded again, the modal closed.
  const create = useMutation(
    trpc.store.create.mutationOptions({
      onSuccess: async (created) => {
        notifyDone('Store created', `${created.name} is ready.`);
        await refresh();
        onDone();
      },
    }),
  );
  const update = useMutation(
    trpc.store.update.mutationOptions({
      onSuccess: async (updated) => {
        notifyDone('Store saved', `${updated.name} was updated.`);
        await refresh();
        onDone();
      },
    }),
  );
  const submit = form.onSubmit((values) => {
    if (store) update.mutate({ storeId: store.id, data: values });
    else create.mutate({ data: values });
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput label="Name" required data-autofocus maxLength={200} {...form.getInputProps('name')} />
        <Textarea
          label="Description"
          description="Shown to OTP users on the store's sign-in page."
          autosize
          minRows={3}
          maxLength={2000}
          {...form.getInputProps('description')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {store ? 'Save' : 'Create store'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
