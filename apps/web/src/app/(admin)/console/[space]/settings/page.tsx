import type { Metadata } from 'next';
import { OrganizationSettingsView } from '~/components/settings/organization-settings-view';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.organization.get.queryOptions()));
  return (
    <HydrateClient>
      <OrganizationSettingsView />
    </HydrateClient>
  );
}
