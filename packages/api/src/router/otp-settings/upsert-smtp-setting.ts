import { upsertSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZUpsertSmtpSettingInput, ZUpsertSmtpSettingOutput } from './schema';

export const upsertSmtpSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZUpsertSmtpSettingInput)
  .output(ZUpsertSmtpSettingOutput)
  .mutation(
    async ({ ctx, input }) =>
      (await upsertSetting(
        ctx.db,
        ctx.keyring(),
        { organizationId: ctx.organization.id, actor: ctx.actor },
        'DEFAULT',
        input,
        ctx.now(),
      )) as ReturnType<typeof ZUpsertSmtpSettingOutput.parse>,
  );
