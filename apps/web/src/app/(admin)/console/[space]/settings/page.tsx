import type { Metadata } from 'next';
import { OrganizationSettingsView } from '~/components/settings/organization-settings-view';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Settings' };

export default spacePage(
  OrganizationSettingsView,
  { permission: 'otp.settings.read', title: 'Settings', what: 'the settings of this space' },
  (trpc, load) => [load(trpc.organization.get.queryOptions())],
);
