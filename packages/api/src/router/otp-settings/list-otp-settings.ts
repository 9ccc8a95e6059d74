import { listSettings } from '../../services/otp-settings';
import { organizationProcedure } from '../../trpc';
import { ZListOtpSettingsOutput } from './schema';

export const listOtpSettingsProcedure = organizationProcedure
  .meta({ permission: 'otp.settings.read' })
  .output(ZListOtpSettingsOutput)
  .query(({ ctx }) => listSettings(ctx.db, ctx.organization.id));
