import { ZUpsertSmtpSettingInput, ZUpsertSmtpSettingOutput } from './schema';
import { upsertSettingProcedure } from './upsert-setting-procedure';

export const upsertSmtpSettingProcedure = upsertSettingProcedure(
  'DEFAULT',
  ZUpsertSmtpSettingInput,
  ZUpsertSmtpSettingOutput,
);
