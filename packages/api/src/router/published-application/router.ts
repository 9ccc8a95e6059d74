import type { TRPCRouterRecord } from '@trpc/server';
import { listPublishedApplicationsProcedure } from './list-published-applications';

export const publishedApplicationRouter = {
  list: listPublishedApplicationsProcedure,
} satisfies TRPCRouterRecord;
