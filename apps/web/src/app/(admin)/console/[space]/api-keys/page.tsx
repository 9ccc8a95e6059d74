import type { Metadata } from 'next';
import { ApiKeysView } from '~/components/api-keys/api-keys-view';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.apiKey.list.queryOptions()));
  return (
    <HydrateClient>
      <ApiKeysView />
    </HydrateClient>
  );
}
