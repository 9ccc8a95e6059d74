import { setSecondFactor } from '../../services/admin-two-factor';
import { userProcedure } from '../../trpc';
import { ZSetTwoFactorInput, ZSetTwoFactorOutput } from './schema';

/** The signed-in admin's choice of second factor (mailed codes or none); see `setSecondFactor`. */
export const setTwoFactorProcedure = userProcedure
  .input(ZSetTwoFactorInput)
  .output(ZSetTwoFactorOutput)
  .mutation(({ ctx, input }) => setSecondFactor(ctx.db, ctx.user.userId, input));
