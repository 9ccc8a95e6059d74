import { verifyAdminCode } from '../../services/admin-two-factor';
import { loadMemberships, sessionCookies, startSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZValidateInput, ZValidateOutput } from './schema';

/** Second step of a two-factor sign-in: the emailed or texted code completes it. */
export const validateProcedure = sameSiteProcedure
  .input(ZValidateInput)
  .output(ZValidateOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { userId } = await verifyAdminCode(
      {
        db: ctx.db,
        keyring: ctx.keyring,
        delivery: ctx.delivery,
        limits: ctx.limits(),
        codeKey: ctx.codeKey,
      },
      { username: input.username, code: input.otp_code, clientIp: ctx.clientIp },
      now,
    );
    const session = await startSession(ctx.db, ctx.session, userId, now);
    for (const cookie of sessionCookies(ctx.session, session, ctx.cookies))
      ctx.resHeaders.append('set-cookie', cookie);
    const spaces = await loadMemberships(ctx.db, userId);
    return {
      'expire-seconds': ctx.session.accessTokenTtlSeconds,
      spaces: spaces.map(({ slug, name, role }) => ({ slug, name, role })),
    };
  });
