import { createOtpUsers } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZCreateOtpUsersInput, ZCreateOtpUsersOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const createOtpUsersProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.create' })
  .input(ZCreateOtpUsersInput)
  .output(ZCreateOtpUsersOutput)
  .mutation(({ ctx, input }) =>
    createOtpUsers(
      ctx.db,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.data,
      ctx.now(),
    ),
  );
