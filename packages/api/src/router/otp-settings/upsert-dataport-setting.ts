import { upsertSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZUpsertDataportSettingInput, ZUpsertDataportSettingOutput } from './schema';

export const upsertDataportSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZUpsertDataportSettingInput)
  .output(ZUpsertDataportSettingOutput)
  .mutation(
    async ({ ctx, input }) =>
      (await upsertSetting(
        ctx.db,
        ctx.keyring(),
        { organizationId: ctx.organization.id, actor: ctx.actor },
        'DATAPORT',
        input,
        ctx.now(),
      )) as ReturnType<typeof ZUpsertDataportSettingOutput.parse>,
  );
