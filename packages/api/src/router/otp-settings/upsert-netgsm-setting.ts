import { ZUpsertNetgsmSettingInput, ZUpsertNetgsmSettingOutput } from './schema';
import { upsertSettingProcedure } from './upsert-setting-procedure';

export const upsertNetgsmSettingProcedure = upsertSettingProcedure(
  'NETGSM',
  ZUpsertNetgsmSettingInput,
  ZUpsertNetgsmSettingOutput,
);
