import type { TRPCRouterRecord } from '@trpc/server';
import { createPublishedApplicationProcedure } from './create-published-application';
import { listPublishedApplicationsProcedure } from './list-published-applications';

export const publishedApplicationRouter = {
  list: listPublishedApplicationsProcedure,
  create: createPublishedApplicationProcedure,
} satisfies TRPCRouterRecord;
