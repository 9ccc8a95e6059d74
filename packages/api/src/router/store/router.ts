import type { TRPCRouterRecord } from '@trpc/server';
import { createStoreProcedure } from './create-store';
import { deleteStoreProcedure } from './delete-store';
import { listStoresProcedure } from './list-stores';
import { updateStoreProcedure } from './update-store';

export const storeRouter = {
  list: listStoresProcedure,
  create: createStoreProcedure,
  update: updateStoreProcedure,
  delete: deleteStoreProcedure,
} satisfies TRPCRouterRecord;
