'use client';

import { notifications } from '@mantine/notifications';
import type { AppRouter } from '@otp-access/api';
import { QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '~/lib/errors';
import { makeQueryClient } from './query-client';
import { noteAccessToken } from './session';
import { sessionLink } from './session-link';

/** Typed hooks of the whole router: only the router's *type* reaches the browser. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * Query cache and tRPC client of one space. Keyed by the space where it is mounted, so data of one
 * organization never shows in another, and every call carries that space in `X-Space`.
 */
export function TrpcProviders({
  space,
  accessToken,
  children,
}: {
  space: string | null;
  /** When the session's access token runs out, from the server-rendered page. */
  accessToken?: { expiresAt: number; ttlMs: number | null };
  children: ReactNode;
}) {
  // Before any query of the page is sent (they start after this first render).
  useState(() => {
    if (accessToken && typeof window !== 'undefined') noteAccessToken(accessToken);
    return null;
  });
  const [queryClient] = useState(() =>
    makeQueryClient({
      onMutationError: (error) =>
        notifications.show({ color: 'red', title: 'Could not complete that', message: errorMessage(error) }),
    }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        sessionLink(),
        httpBatchLink({
          url: '/api/trpc',
          headers: () => (space ? { 'x-space': space } : {}),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
