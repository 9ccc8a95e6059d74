import { ZObjectId } from '@otp-access/validators';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OtpUserDetail } from '~/components/otp-users/otp-user-detail';
import { getQueryClient, HydrateClient, prefetch, prefetchStoreQueries, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'OTP user' };

type Params = Promise<{ space: string; storeId: string; otpUserId: string }>;

export default async function OtpUserPage({ params }: { params: Params }) {
  const { space, storeId, otpUserId } = await params;
  if (!ZObjectId.safeParse(storeId).success || !ZObjectId.safeParse(otpUserId).success) notFound();
  const trpc = await serverTrpc(space);
  const queryClient = getQueryClient();
  await prefetch(
    queryClient.prefetchQuery(trpc.otpUser.byId.queryOptions({ storeId, otpUserId })),
    ...prefetchStoreQueries(trpc, storeId),
  );
  return (
    <HydrateClient>
      <OtpUserDetail storeId={storeId} otpUserId={otpUserId} />
    </HydrateClient>
  );
}
