import type { Metadata } from 'next';
import { AuditView } from '~/components/audit/audit-view';
import { AUDIT_PAGE_INPUT } from '~/lib/list-inputs';
import { spacePage } from '~/trpc/server';

export const metadata: Metadata = { title: 'Audit log' };

export default spacePage(
  AuditView,
  { permission: 'org.audit.read', title: 'Audit log', what: 'the audit log' },
  (trpc, load) => [load(trpc.audit.list.queryOptions(AUDIT_PAGE_INPUT))],
);
