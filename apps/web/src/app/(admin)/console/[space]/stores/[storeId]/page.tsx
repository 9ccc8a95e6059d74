import { ZObjectId } from '@otp-access/validators';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OtpUsersView } from '~/components/otp-users/otp-users-view';
import { listInputOf, publishedApplicationsInput, readListView, STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

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
    queryClient.prefetchQuery(
      trpc.publishedApplication.list.queryOptions(publishedApplicationsInput(storeId)),
    ),
    queryClient.prefetchQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT)),
  );
  return (
    <HydrateClient>
      <OtpUsersView storeId={storeId} />
    </HydrateClient>
  );
}
