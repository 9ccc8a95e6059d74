import { AppError, ErrorCode } from '../../errors';
import { readCookies } from '../../services/principal';
import { loadMemberships, REFRESH_COOKIE, rotateSession, sessionCookies } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZRefreshSessionInput, ZRefreshSessionOutput } from './schema';

export const refreshSessionProcedure = sameSiteProcedure
  .input(ZRefreshSessionInput)
  .output(ZRefreshSessionOutput)
  .mutation(async ({ ctx, input }) => {
    const token = input?.refresh_token ?? readCookies(ctx.headers)[REFRESH_COOKIE];
    if (!token) throw new AppError(ErrorCode.NO_AUTH_TOKEN);
    const session = await rotateSession(ctx.db, ctx.session, token, ctx.now());
    for (const cookie of sessionCookies(ctx.session, session, ctx.cookies))
      ctx.resHeaders.append('set-cookie', cookie);
    const spaces = await loadMemberships(ctx.db, session.userId);
    return {
      'expire-seconds': ctx.session.accessTokenTtlSeconds,
      spaces: spaces.map(({ slug, name, role }) => ({ slug, name, role })),
    };
  });
