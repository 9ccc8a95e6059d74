import { listOtpUsers } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZListOtpUsersInput, ZListOtpUsersOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const listOtpUsersProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.list' })
  .input(ZListOtpUsersInput)
  .output(ZListOtpUsersOutput)
  .query(({ ctx, input: { storeId, ...filter } }) =>
    listOtpUsers(ctx.db, { organizationId: ctx.organization.id, storeId }, filter),
  );
