import { setDefaultSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZSetDefaultOtpSettingInput, ZSetDefaultOtpSettingOutput } from './schema';

export const setDefaultOtpSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZSetDefaultOtpSettingInput)
  .output(ZSetDefaultOtpSettingOutput)
  .mutation(({ ctx, input }) =>
    setDefaultSetting(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input, ctx.now()),
  );
