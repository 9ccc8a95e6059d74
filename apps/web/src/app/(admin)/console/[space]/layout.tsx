import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { ConsoleShell } from '~/components/console-shell';
import { accessTokenTiming, hasSessionCookies } from '~/lib/server-session';
import { TrpcProviders } from '~/trpc/react';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export default async function SpaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ space: string }>;
}) {
  const { space } = await params;
  if (!(await hasSessionCookies())) redirect(`/sign-in?next=${encodeURIComponent(`/console/${space}`)}`);
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.auth.me.queryOptions()));
  return (
    // A space of its own: its query cache, and every call sent with `X-Space: <space>`.
    <TrpcProviders key={space} space={space} accessToken={await accessTokenTiming()}>
      <HydrateClient>
        <ConsoleShell space={space}>{children}</ConsoleShell>
      </HydrateClient>
    </TrpcProviders>
  );
}
