import { ZObjectId } from '@otp-access/validators';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ApplicationsView } from '~/components/publications/applications-view';
import { HydrateClient, prefetch, prefetchStoreQueries, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Applications' };

type Params = Promise<{ space: string; storeId: string }>;

export default async function ApplicationsPage({ params }: { params: Params }) {
  const { space, storeId } = await params;
  if (!ZObjectId.safeParse(storeId).success) notFound();
  const trpc = await serverTrpc(space);
  await prefetch(...prefetchStoreQueries(trpc, storeId));
  return (
    <HydrateClient>
      <ApplicationsView storeId={storeId} />
    </HydrateClient>
  );
}
