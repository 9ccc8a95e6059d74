import { ZUpsertTwilioSettingInput, ZUpsertTwilioSettingOutput } from './schema';
import { upsertSettingProcedure } from './upsert-setting-procedure';

export const upsertTwilioSettingProcedure = upsertSettingProcedure(
  'TWILIO',
  ZUpsertTwilioSettingInput,
  ZUpsertTwilioSettingOutput,
);
