import { getOtpUsersUsage } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZGetOtpUsersUsageInput, ZGetOtpUsersUsageOutput } from './schema';

/** Console only (no REST route): the REST OTP user keeps the documented fields. */
export const getOtpUsersUsageProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.list' })
  .input(ZGetOtpUsersUsageInput)
  .output(ZGetOtpUsersUsageOutput)
  .query(({ ctx, input: { storeId, otpUserIds } }) =>
    getOtpUsersUsage(ctx.db, { organizationId: ctx.organization.id, storeId }, otpUserIds),
  );
