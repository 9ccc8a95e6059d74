import { updateOtpUser } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZUpdateOtpUserInput, ZUpdateOtpUserOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const updateOtpUserProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.update' })
  .input(ZUpdateOtpUserInput)
  .output(ZUpdateOtpUserOutput)
  .mutation(({ ctx, input }) =>
    updateOtpUser(
      ctx.db,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.otpUserId,
      input.data,
      ctx.now(),
    ),
  );
