import {
  ZCreateStoreBody,
  ZObjectId,
  ZPageQuery,
  ZStore,
  ZStorePage,
  ZUpdateStoreBody,
} from '@otp-access/validators';
import { z } from 'zod';

export const ZListStoresInput = ZPageQuery.strict();
export const ZListStoresOutput = ZStorePage;
export const ZCreateStoreInput = z.strictObject({ data: ZCreateStoreBody });
export const ZCreateStoreOutput = ZStore;
export const ZUpdateStoreInput = z.strictObject({ storeId: ZObjectId, data: ZUpdateStoreBody });
export const ZUpdateStoreOutput = ZStore;
export const ZDeleteStoreInput = z.strictObject({ storeId: ZObjectId });
export const ZDeleteStoreOutput = z.object({ delete: z.literal(true) });
