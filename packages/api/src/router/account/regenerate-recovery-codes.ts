import { confirmPassword, regenerateRecoveryCodes } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZRecoveryCodesOutput, ZRegenerateRecoveryCodesInput } from './schema';

/** New recovery codes (the old ones stop working), shown once; needs the password. */
export const regenerateRecoveryCodesProcedure = userProcedure
  .input(ZRegenerateRecoveryCodesInput)
  .output(ZRecoveryCodesOutput)
  .mutation(async ({ ctx, input }) => {
    await ctx.limits().consume([['secondFactorPerAccount', ctx.user.userId]]);
    await confirmPassword(ctx.db, ctx.user.userId, input.currentPassword);
    return regenerateRecoveryCodes({ db: ctx.db, codeKey: ctx.codeKey }, ctx.user.userId, ctx.now());
  });
