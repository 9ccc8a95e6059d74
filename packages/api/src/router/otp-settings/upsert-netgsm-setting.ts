import { upsertSetting } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZUpsertNetgsmSettingInput, ZUpsertNetgsmSettingOutput } from './schema';

export const upsertNetgsmSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.update' })
  .input(ZUpsertNetgsmSettingInput)
  .output(ZUpsertNetgsmSettingOutput)
  .mutation(
    async ({ ctx, input }) =>
      (await upsertSetting(
        ctx.db,
        ctx.keyring(),
        { organizationId: ctx.organization.id, actor: ctx.actor },
        'NETGSM',
        input,
        ctx.now(),
      )) as ReturnType<typeof ZUpsertNetgsmSettingOutput.parse>,
  );
