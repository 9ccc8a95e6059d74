import { ZObjectId } from '@otp-access/validators';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OtpUsersView } from '~/components/otp-users/otp-users-view';
import { listInputOf, readListView } from '~/lib/otp-user-list';
import { getQueryClient, HydrateClient, prefetch, prefetchStoreQueries, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'OTP users' };

type Params = Promise<{ space: string; storeId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OtpUsersPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { space, storeId } = await params;
  if (!ZObjectId.safeParse(storeId).success) notFound();
  // The same view → input mapping as the table's, so the browser finds this page already loaded.
  const view = readListView(await searchParams);
  const trpc = await serverTrpc(space);
  const queryClient = getQueryClient();
  await prefetch(
    queryClient.prefetchQuery(trpc.otpUser.list.queryOptions(listInputOf(storeId, view))),
    ...prefetchStoreQueries(trpc, storeId),
  );
  return (
    <HydrateClient>
      <OtpUsersView storeId={storeId} />
    </HydrateClient>
  );
}
