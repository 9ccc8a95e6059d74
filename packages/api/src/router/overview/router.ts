import type { TRPCRouterRecord } from '@trpc/server';
import { getOverviewProcedure } from './get-overview';

export const overviewRouter = {
  get: getOverviewProcedure,
} satisfies TRPCRouterRecord;
