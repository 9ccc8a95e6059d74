import type { TRPCRouterRecord } from '@trpc/server';
import { listStoresProcedure } from './list-stores';

export const storeRouter = {
  list: listStoresProcedure,
} satisfies TRPCRouterRecord;
