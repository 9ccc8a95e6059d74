import { removeSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZRemoveOtpSettingInput, ZRemoveOtpSettingOutput } from './schema';

export const removeOtpSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZRemoveOtpSettingInput)
  .output(ZRemoveOtpSettingOutput)
  .mutation(async ({ ctx, input }) => {
    await removeSetting(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input);
    return { removed: true as const };
  });
