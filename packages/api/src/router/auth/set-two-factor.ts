import { AppError, ErrorCode } from '../../errors';
import { userProcedure } from '../../trpc';
import { ZSetTwoFactorInput, ZSetTwoFactorOutput } from './schema';

/** The signed-in admin chooses how (or whether) sign-ins are confirmed with a code. */
export const setTwoFactorProcedure = userProcedure
  .input(ZSetTwoFactorInput)
  .output(ZSetTwoFactorOutput)
  .mutation(async ({ ctx, input }) => {
    const current = await ctx.db.adminUser.findUniqueOrThrow({
      where: { id: ctx.user.userId },
      select: { phone: true },
    });
    const phone = input.phone ?? current.phone;
    if (input.otpType === 'SMS' && !phone) {
      throw new AppError(ErrorCode.VALIDATION, { data: { phone: 'Required for SMS codes' } });
    }
    const user = await ctx.db.adminUser.update({
      where: { id: ctx.user.userId },
      data: { otpType: input.otpType, ...(input.phone !== undefined ? { phone: input.phone } : {}) },
      select: { otpType: true, phone: true },
    });
    return user;
  });
