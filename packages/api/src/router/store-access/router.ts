import type { TRPCRouterRecord } from '@trpc/server';
import { listStoreAppsProcedure } from './list-store-apps';
import { requestStoreCodeProcedure } from './request-store-code';
import { storeLogoutProcedure } from './store-logout';
import { verifyStoreCodeProcedure } from './verify-store-code';

/** OTP users signing in to a store with a one-time code. Public: no admin session involved. */
export const storeAccessRouter = {
  requestCode: requestStoreCodeProcedure,
  verifyCode: verifyStoreCodeProcedure,
  apps: listStoreAppsProcedure,
  logout: storeLogoutProcedure,
} satisfies TRPCRouterRecord;
