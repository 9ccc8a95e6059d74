import type { Metadata } from 'next';
import { AuditView } from '~/components/audit/audit-view';
import { AUDIT_PAGE_INPUT } from '~/lib/list-inputs';
import { getQueryClient, HydrateClient, prefetch, serverTrpc } from '~/trpc/server';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({ params }: { params: Promise<{ space: string }> }) {
  const { space } = await params;
  const trpc = await serverTrpc(space);
  await prefetch(getQueryClient().prefetchQuery(trpc.audit.list.queryOptions(AUDIT_PAGE_INPUT)));
  return (
    <HydrateClient>
      <AuditView />
    </HydrateClient>
  );
}
