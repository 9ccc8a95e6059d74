import { readCookies } from '../../services/principal';
import { listStoreApps, readStoreSession, STORE_SESSION_COOKIE } from '../../services/store-access';
import { publicProcedure } from '../../trpc';
import { ZStoreAppsOutput } from './schema';

/** The signed-in OTP user's apps and remaining downloads (store session cookie). */
export const listStoreAppsProcedure = publicProcedure.output(ZStoreAppsOutput).query(async ({ ctx }) => {
  const session = await readStoreSession(
    ctx.storeSessionKey,
    readCookies(ctx.headers)[STORE_SESSION_COOKIE],
    ctx.now(),
  );
  return listStoreApps(ctx.db, session);
});
