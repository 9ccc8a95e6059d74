import { upsertSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZUpsertTwilioSettingInput, ZUpsertTwilioSettingOutput } from './schema';

export const upsertTwilioSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZUpsertTwilioSettingInput)
  .output(ZUpsertTwilioSettingOutput)
  .mutation(
    async ({ ctx, input }) =>
      (await upsertSetting(
        ctx.db,
        ctx.keyring(),
        { organizationId: ctx.organization.id, actor: ctx.actor },
        'TWILIO',
        input,
        ctx.now(),
      )) as ReturnType<typeof ZUpsertTwilioSettingOutput.parse>,
  );
