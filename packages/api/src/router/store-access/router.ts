import type { TRPCRouterRecord } from '@trpc/server';
import { createTRPCRouter } from '../../trpc';
import { downloadBuildProcedure } from './download-build';
import { getStoreProcedure } from './get-store';
import { listStoreAppsProcedure } from './list-store-apps';
import { requestStoreCodeProcedure } from './request-store-code';
import { storeLogoutProcedure } from './store-logout';
import { verifyStoreCodeProcedure } from './verify-store-code';

/** OTP users signing in to a store with a one-time code. Public: no admin session involved. */
export const storeAccessRouter = {
  store: getStoreProcedure,
  requestCode: requestStoreCodeProcedure,
  verifyCode: verifyStoreCodeProcedure,
  apps: listStoreAppsProcedure,
  logout: storeLogoutProcedure,
} satisfies TRPCRouterRecord;

/**
 * Store procedures whose answer is a stream, not JSON: the REST surface calls them; they are not
 * in `appRouter`, so the tRPC endpoint does not serve them.
 */
export const storeDownloadRouter = createTRPCRouter({ download: downloadBuildProcedure });
