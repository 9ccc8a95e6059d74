import { recoveryCodesLeft } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZGetTwoFactorOutput } from './schema';

export const getTwoFactorProcedure = userProcedure.output(ZGetTwoFactorOutput).query(async ({ ctx }) => {
  const user = await ctx.db.adminUser.findUniqueOrThrow({
    where: { id: ctx.user.userId },
    select: { otpType: true },
  });
  return {
    otpType: user.otpType,
    recoveryCodesLeft: user.otpType === 'TOTP' ? await recoveryCodesLeft(ctx.db, ctx.user.userId) : 0,
    mailAvailable: ctx.delivery.operatorMail !== undefined,
  };
});
