import { redirect } from 'next/navigation';
import { hasSessionCookies } from '~/lib/server-session';
import { TrpcProviders } from '~/trpc/react';
import { getQueryClient, serverTrpc } from '~/trpc/server';
import { SpaceResolver } from './space-resolver';

/** `/console`: the space chosen last (the `ins_space` cookie), else the first one. */
export default async function ConsoleIndexPage() {
  if (!(await hasSessionCookies())) redirect('/sign-in');
  const trpc = await serverTrpc(null);
  const me = await getQueryClient()
    .fetchQuery(trpc.auth.me.queryOptions())
    .catch(() => null);
  const slug = me ? (me.activeSpace ?? me.spaces[0]?.slug) : undefined;
  if (slug) redirect(`/console/${slug}`);
  // No answer on the server (the access token expired): the browser renews the session and decides.
  return (
    <TrpcProviders space={null}>
      <SpaceResolver />
    </TrpcProviders>
  );
}
