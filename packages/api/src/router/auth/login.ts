import { verifyAdminCredentials } from '../../services/admin-login';
import { startAdminSecondFactor } from '../../services/admin-two-factor';
import { startSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZLoginInput, ZLoginOutput } from './schema';
import { sessionResponse } from './session-response';

export const loginProcedure = sameSiteProcedure
  .input(ZLoginInput)
  .output(ZLoginOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    const { userId, email, otpType } = await verifyAdminCredentials(
      ctx.db,
      ctx.limits(),
      { ...input, clientIp: ctx.clientIp },
      now,
    );
    if (otpType !== 'NONE') {
      const asked = await startAdminSecondFactor(
        {
          db: ctx.db,
          keyring: ctx.keyring,
          delivery: ctx.delivery,
          limits: ctx.limits(),
          codeKey: ctx.codeKey,
        },
        { id: userId, email, otpType },
        ctx.clientIp,
        now,
      );
      return { otp_required: true as const, otp_type: asked, username: email };
    }
    const session = await startSession(ctx.db, ctx.session, userId, now);
    return sessionResponse(ctx, session, userId);
  });
