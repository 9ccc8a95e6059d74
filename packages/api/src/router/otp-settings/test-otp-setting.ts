import { sendTestMessage } from '../../services/test-send';
import { organizationProcedure } from '../../trpc';
import { ZTestOtpSettingInput, ZTestOtpSettingOutput } from './schema';

export const testOtpSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.test' })
  .input(ZTestOtpSettingInput)
  .output(ZTestOtpSettingOutput)
  .mutation(({ ctx, input }) =>
    sendTestMessage(
      ctx.db,
      ctx.keyring(),
      ctx.delivery,
      {
        organizationId: ctx.organization.id,
        organizationName: ctx.organization.name,
        principal: ctx.principal,
      },
      { type: input?.type, to: input?.to },
      ctx.limits(),
    ),
  );
