import { sendOrganizationTestMessage } from '../../services/test-send';
import { organizationProcedure } from '../../trpc';
import { ZTestOtpSettingInput, ZTestOtpSettingOutput } from './schema';

export const testOtpSettingProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.test' })
  .input(ZTestOtpSettingInput)
  .output(ZTestOtpSettingOutput)
  .mutation(({ ctx, input }) => sendOrganizationTestMessage(ctx, { type: input?.type, to: input?.to }));
