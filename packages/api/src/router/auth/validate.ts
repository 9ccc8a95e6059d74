import { verifyAdminCode } from '../../services/admin-two-factor';
import { startSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { ZValidateInput, ZValidateOutput } from './schema';
import { sessionResponse } from './session-response';

/** Second step of a two-factor sign-in: the mailed code, the app's code or a recovery code. */
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
    return sessionResponse(ctx, session, userId);
  });
