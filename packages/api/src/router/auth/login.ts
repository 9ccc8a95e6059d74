import { verifyAdminCredentials } from '../../services/admin-login';
import { loadMemberships, sessionCookies, startSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZLoginInput, ZLoginOutput } from './schema';

export const loginProcedure = sameSiteProcedure
  .input(ZLoginInput)
  .output(ZLoginOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { userId } = await verifyAdminCredentials(ctx.db, ctx.session, input, now);
    const session = await startSession(ctx.db, ctx.session, userId, now);
    for (const cookie of sessionCookies(ctx.session, session, ctx.cookies))
      ctx.resHeaders.append('set-cookie', cookie);
    const spaces = await loadMemberships(ctx.db, userId);
    return {
      'expire-seconds': ctx.session.accessTokenTtlSeconds,
      spaces: spaces.map(({ slug, name, role }) => ({ slug, name, role })),
    };
  });
