import { listStoreApps } from '../../services/store-access';
import { storeSessionProcedure } from '../../trpc';
import { ZStoreAppsOutput } from './schema';

/** The signed-in OTP user's apps and remaining downloads (store session cookie). */
export const listStoreAppsProcedure = storeSessionProcedure
  .output(ZStoreAppsOutput)
  .query(({ ctx }) => listStoreApps(ctx.db, ctx.storeSession));
