import type { Metadata } from 'next';
import { OrganizationSettingsView } from '~/components/settings/organization-settings-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Settings' };

export default spacePage(OrganizationSettingsView, (trpc, load) => [
  load(trpc.organization.get.queryOptions()),
]);
