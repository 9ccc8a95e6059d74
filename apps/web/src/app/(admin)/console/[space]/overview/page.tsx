import type { Metadata } from 'next';
import { OverviewView } from '~/components/overview/overview-view';
import { RequirePermission } from '~/components/require-permission';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <RequirePermission permission="otp.settings.read" title="Overview" what="the overview">
      <OverviewView />
    </RequirePermission>
  );
}
