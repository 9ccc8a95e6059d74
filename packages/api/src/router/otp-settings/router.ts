import type { TRPCRouterRecord } from '@trpc/server';
import { listOtpSettingsProcedure } from './list-otp-settings';
import { removeOtpSettingProcedure } from './remove-otp-setting';
import { setDefaultOtpSettingProcedure } from './set-default-otp-setting';
import { testOtpSettingProcedure } from './test-otp-setting';
import { upsertDataportSettingProcedure } from './upsert-dataport-setting';
import { upsertNetgsmSettingProcedure } from './upsert-netgsm-setting';
import { upsertSmtpSettingProcedure } from './upsert-smtp-setting';
import { upsertTwilioSettingProcedure } from './upsert-twilio-setting';

export const otpSettingsRouter = {
  list: listOtpSettingsProcedure,
  upsertTwilio: upsertTwilioSettingProcedure,
  upsertNetgsm: upsertNetgsmSettingProcedure,
  upsertDataport: upsertDataportSettingProcedure,
  upsertSmtp: upsertSmtpSettingProcedure,
  setDefault: setDefaultOtpSettingProcedure,
  remove: removeOtpSettingProcedure,
  test: testOtpSettingProcedure,
} satisfies TRPCRouterRecord;
