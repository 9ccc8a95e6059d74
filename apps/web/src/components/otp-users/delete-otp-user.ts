'use client';

import { modals } from '@mantine/modals';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createElement } from 'react';
import { useTRPC } from '~/trpc/react';

/** "Delete OTP user" behind a confirmation dialog. */
export function useDeleteOtpUser(storeId: string, onDeleted?: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(
    trpc.otpUser.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.otpUser.list.pathFilter());
        onDeleted?.();
      },
    }),
  );
  return (user: { id: string; email: string }) =>
    modals.openConfirmModal({
      title: 'Delete OTP user',
      children: createElement(
        'p',
        { style: { margin: 0 } },
        `${user.email} will no longer be able to sign in to the store or download the app. This cannot be undone.`,
      ),
      labels: { confirm: 'Delete', cancel: 'Cancel' },
      confirmProps: { color: 'red' },
      onConfirm: () =>
        remove.mutate(
          { storeId, otpUserId: user.id },
          {
            onSuccess: () =>
              notifications.show({ color: 'teal', title: 'OTP user deleted', message: user.email }),
          },
        ),
    });
}
