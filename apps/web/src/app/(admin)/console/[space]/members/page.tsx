import type { Metadata } from 'next';
import { MembersView } from '~/components/members/members-view';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.member.list.queryOptions()));
  return (
    <HydrateClient>
      <MembersView />
    </HydrateClient>
  );
}
