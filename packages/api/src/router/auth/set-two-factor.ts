import { AppError, ErrorCode } from '../../errors';
import { clearTotp, confirmPassword } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZSetTwoFactorInput, ZSetTwoFactorOutput } from './schema';

/**
 * The signed-in admin chooses whether sign-ins are confirmed with a mailed code (sent by the
 * operator's mail server) or not at all; the authenticator app is set up under `account`. Codes by
 * text message are not offered: the installation has no SMS channel of its own, and an
 * organization's SMS setting must not carry an admin's code.
 */
export const setTwoFactorProcedure = userProcedure
  .input(ZSetTwoFactorInput)
  .output(ZSetTwoFactorOutput)
  .mutation(async ({ ctx, input }) => {
    if (input.otpType === 'SMS') {
      throw new AppError(ErrorCode.VALIDATION, {
        message: 'Codes by text message are not offered: choose email codes or an authenticator app',
        data: { otpType: 'Codes by text message are not offered by this installation' },
      });
    }
    const current = await ctx.db.adminUser.findUniqueOrThrow({
      where: { id: ctx.user.userId },
      select: { otpType: true },
    });
    if (current.otpType === 'TOTP') {
      await confirmPassword(ctx.db, ctx.user.userId, input.currentPassword);
      await clearTotp(ctx.db, ctx.user.userId);
    }
    return ctx.db.adminUser.update({
      where: { id: ctx.user.userId },
      data: { otpType: input.otpType, ...(input.phone !== undefined ? { phone: input.phone } : {}) },
      select: { otpType: true, phone: true },
    });
  });
