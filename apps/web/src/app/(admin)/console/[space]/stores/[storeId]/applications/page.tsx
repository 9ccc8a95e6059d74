import { ZObjectId } from '@otp-access/validators';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ApplicationsView } from '~/components/publications/applications-view';
import { publishedApplicationsInput, STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Applications' };

type Params = Promise<{ space: string; storeId: string }>;

export default async function ApplicationsPage({ params }: { params: Params }) {
  const { space, storeId } = await params;
  if (!ZObjectId.safeParse(storeId).success) notFound();
  const trpc = await serverTrpc(space);
  const queryClient = getQueryClient();
  await prefetch(
    queryClient.prefetchQuery(
      trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)),
    ),
    queryClient.prefetchQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT)),
  );
  return (
    <HydrateClient>
      <ApplicationsView storeId={storeId} />
    </HydrateClient>
  );
}
