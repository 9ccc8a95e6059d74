import 'server-only';
import type { AppRouter } from '@otp-access/api';
import { dehydrate, HydrationBoundary } from '@tanstack/react-query';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { cache, type ReactNode } from 'react';
import { getApi } from '~/server/api';
import { makeQueryClient } from './query-client';

/** One query cache per server request; what pages prefetch into it is handed to the browser. */
export const getQueryClient = cache(() => makeQueryClient());

/**
 * tRPC for server components: the very handler the browser calls, invoked in-process with the
 * visitor's cookies (and the space of the page), so prefetched data is exactly what the browser
 * would have received — same authentication, permissions and output validation.
 */
export const serverTrpc = cache(async (space: string | null) => {
  const cookie = (await headers()).get('cookie') ?? '';
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: 'http://localhost/api/trpc',
        headers: { cookie, ...(space ? { 'x-space': space } : {}) },
        fetch: (url, init) => getApi().handlers.trpc(new Request(url, init as RequestInit)),
      }),
    ],
  });
  return createTRPCOptionsProxy<AppRouter>({ client, queryClient: getQueryClient });
});

/** Prefetches queries; a failure (say an expired access token) is left for the browser to retry. */
export async function prefetch(...queries: Promise<unknown>[]): Promise<void> {
  await Promise.allSettled(queries);
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
