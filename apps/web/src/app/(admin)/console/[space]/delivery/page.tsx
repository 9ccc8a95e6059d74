import type { Metadata } from 'next';
import { DeliveryView } from '~/components/delivery/delivery-view';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Delivery' };

export default async function DeliveryPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.otpSettings.list.queryOptions()));
  return (
    <HydrateClient>
      <DeliveryView />
    </HydrateClient>
  );
}
