import type { TRPCRouterRecord } from '@trpc/server';
import { listDeliveryLogsProcedure } from './list-delivery-logs';

export const deliveryLogRouter = {
  list: listDeliveryLogsProcedure,
} satisfies TRPCRouterRecord;
