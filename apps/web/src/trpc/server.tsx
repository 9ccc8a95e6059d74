import 'server-only';
import type { AppRouter } from '@otp-access/api';
import { dehydrate, HydrationBoundary, type QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { headers } from 'next/headers';
import { type ComponentType, cache, type ReactNode } from 'react';
import { type RequiredPermission, RequirePermission } from '~/components/require-permission';
import { publishedApplicationsInput, STORE_LIST_INPUT } from '~/lib/otp-user-list';
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

type ServerTrpc = Awaited<ReturnType<typeof serverTrpc>>;

/**
 * A console page of a space: prefetches the queries its view starts with, then renders the view
 * with that data handed to the browser, or says why not where the admin's role lacks `access`.
 */
export function spacePage(
  View: ComponentType,
  access: RequiredPermission | null,
  queries: (trpc: ServerTrpc, load: QueryClient['prefetchQuery']) => Promise<void>[],
) {
  return async function SpacePage({ params }: { params: Promise<{ space: string }> }) {
    const { space } = await params;
    const trpc = await serverTrpc(space);
    const queryClient = getQueryClient();
    await prefetch(...queries(trpc, (options) => queryClient.prefetchQuery(options)));
    return (
      <HydrateClient>
        {access ? (
          <RequirePermission {...access}>
            <View />
          </RequirePermission>
        ) : (
          <View />
        )}
      </HydrateClient>
    );
  };
}

/** What every page of one store reads besides its own data: the stores and the store's applications. */
export function prefetchStoreQueries(trpc: ServerTrpc, storeId: string): Promise<void>[] {
  const queryClient = getQueryClient();
  return [
    queryClient.prefetchQuery(
      trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)),
    ),
    queryClient.prefetchQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT)),
  ];
}
