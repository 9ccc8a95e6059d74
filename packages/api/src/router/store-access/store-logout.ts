import { readCookies, storeSessionCookie } from '../../cookies';
import { endStoreSession, STORE_SESSION_COOKIE } from '../../services/store-access';
import { sameSiteProcedure } from '../../trpc';
import { ZStoreLogoutOutput } from './schema';

/** Ends the OTP user's store session on the server (not only in this browser) and clears its cookie. */
export const storeLogoutProcedure = sameSiteProcedure.output(ZStoreLogoutOutput).mutation(async ({ ctx }) => {
  await endStoreSession(
    ctx.db,
    ctx.storeSessionKey,
    readCookies(ctx.headers)[STORE_SESSION_COOKIE],
    ctx.now(),
  );
  ctx.resHeaders.append('set-cookie', storeSessionCookie(null, ctx.cookies));
  return { status: 'ok' as const };
});
