import { readCookies } from '../../cookies';
import { AppError, ErrorCode } from '../../errors';
import { REFRESH_COOKIE, rotateSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZRefreshSessionInput, ZRefreshSessionOutput } from './schema';
import { sessionResponse } from './session-response';

export const refreshSessionProcedure = sameSiteProcedure
  .input(ZRefreshSessionInput)
  .output(ZRefreshSessionOutput)
  .mutation(async ({ ctx, input }) => {
    const token = input?.refresh_token ?? readCookies(ctx.headers)[REFRESH_COOKIE];
    if (!token) throw new AppError(ErrorCode.NO_AUTH_TOKEN);
    const session = await rotateSession(ctx.db, ctx.session, token, ctx.now());
    return sessionResponse(ctx, session, session.userId);
  });
