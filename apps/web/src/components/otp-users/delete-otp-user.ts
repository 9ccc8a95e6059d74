'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { confirmDestructive, notifyDone } from '~/components/feedback';
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
    confirmDestructive({
      title: 'Delete OTP user',
      message: `${user.email} will no longer be able to sign in to the store or download the app. This cannot be undone.`,
      confirm: 'Delete',
      onConfirm: () =>
        remove.mutate(
          { storeId, otpUserId: user.id },
          {
            onSuccess: () => notifyDone('OTP user deleted', user.email),
          },
        ),
    });
}
