import { confirmTotpEnrolment } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZConfirmTotpInput, ZRecoveryCodesOutput } from './schema';

/** Step 2: the app's current code turns it on; the recovery codes are shown this once. */
export const confirmTotpProcedure = userProcedure
  .input(ZConfirmTotpInput)
  .output(ZRecoveryCodesOutput)
  .mutation(async ({ ctx, input }) => {
    await ctx.limits().consume([['secondFactorPerAccount', ctx.user.userId]]);
    return confirmTotpEnrolment(
      { db: ctx.db, keyring: ctx.keyring, codeKey: ctx.codeKey },
      ctx.user.userId,
      input.code,
      ctx.now(),
    );
  });
