import { clearedSessionCookies, readCookies } from '../../cookies';
import { REFRESH_COOKIE, revokeSessionOfRefreshToken } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZLogoutOutput } from './schema';

/** Ends the session of the refresh cookie (its whole chain) and clears the cookies; always succeeds. */
export const logoutProcedure = sameSiteProcedure.output(ZLogoutOutput).mutation(async ({ ctx }) => {
  const refreshToken = readCookies(ctx.headers)[REFRESH_COOKIE];
  if (refreshToken) await revokeSessionOfRefreshToken(ctx.db, refreshToken, ctx.now());
  for (const cookie of clearedSessionCookies(ctx.cookies)) ctx.resHeaders.append('set-cookie', cookie);
  return { status: 'ok' as const };
});
