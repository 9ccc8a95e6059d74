import { deleteOtpUser } from '../../services/otp-user';
import { organizationProcedure } from '../../trpc';
import { ZDeleteOtpUserInput, ZDeleteOtpUserOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const deleteOtpUserProcedure = organizationProcedure
  .meta({ permission: 'mad.store.otpUsers.remove' })
  .input(ZDeleteOtpUserInput)
  .output(ZDeleteOtpUserOutput)
  .mutation(async ({ ctx, input }) => {
    await deleteOtpUser(
      ctx.db,
      { organizationId: ctx.organization.id, storeId: input.storeId, actor: ctx.actor },
      input.otpUserId,
    );
    return { delete: true as const };
  });
