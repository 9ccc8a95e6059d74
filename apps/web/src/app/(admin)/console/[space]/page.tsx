import { redirect } from 'next/navigation';
import { STORE_LIST_INPUT } from '~/lib/otp-user-list';
import { getQueryClient, serverTrpc } from '~/trpc/server';

/** A space opens on its OTP users: straight into the store when there is only one. */
export default async function SpaceHomePage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  const stores = await getQueryClient()
    .fetchQuery(trpc.store.list.queryOptions(STORE_LIST_INPUT))
    .catch(() => null);
  const only = stores?.items.length === 1 ? stores.items[0] : undefined;
  redirect(only ? `/console/${space}/stores/${only.id}` : `/console/${space}/stores`);
}
