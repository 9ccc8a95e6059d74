import type { TRPCRouterRecord } from '@trpc/server';
import { listAuditEventsProcedure } from './list-audit-events';

export const auditRouter = {
  list: listAuditEventsProcedure,
} satisfies TRPCRouterRecord;
