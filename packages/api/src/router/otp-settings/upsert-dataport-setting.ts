import { ZUpsertDataportSettingInput, ZUpsertDataportSettingOutput } from './schema';
import { upsertSettingProcedure } from './upsert-setting-procedure';

export const upsertDataportSettingProcedure = upsertSettingProcedure(
  'DATAPORT',
  ZUpsertDataportSettingInput,
  ZUpsertDataportSettingOutput,
);
