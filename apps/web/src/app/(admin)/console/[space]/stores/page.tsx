import type { Metadata } from 'next';
import { StoresView } from '~/components/otp-users/stores-view';
import { STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Stores' };

export default async function StoresPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT)));
  return (
    <HydrateClient>
      <StoresView />
    </HydrateClient>
  );
}
