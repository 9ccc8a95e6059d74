import { getOtpUser } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZGetOtpUserInput, ZGetOtpUserOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const getOtpUserProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.get' })
  .input(ZGetOtpUserInput)
  .output(ZGetOtpUserOutput)
  .query(({ ctx, input }) =>
    getOtpUser(ctx.db, { organizationId: ctx.organization.id, storeId: input.storeId }, input.otpUserId),
  );
