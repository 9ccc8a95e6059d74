import {
  ZDataportSettingBody,
  ZDataportSettingView,
  ZNetgsmSettingBody,
  ZNetgsmSettingView,
  ZOtpSettingView,
  ZSettingTarget,
  ZSmtpSettingBody,
  ZSmtpSettingView,
  ZTestSendBody,
  ZTestSendResult,
  ZTwilioSettingBody,
  ZTwilioSettingView,
} from '@otp-access/validators';
import { z } from 'zod';

export const ZListOtpSettingsOutput = z.array(ZOtpSettingView);
export const ZUpsertTwilioSettingInput = ZTwilioSettingBody;
export const ZUpsertTwilioSettingOutput = ZTwilioSettingView;
export const ZUpsertNetgsmSettingInput = ZNetgsmSettingBody;
export const ZUpsertNetgsmSettingOutput = ZNetgsmSettingView;
export const ZUpsertDataportSettingInput = ZDataportSettingBody;
export const ZUpsertDataportSettingOutput = ZDataportSettingView;
export const ZUpsertSmtpSettingInput = ZSmtpSettingBody;
export const ZUpsertSmtpSettingOutput = ZSmtpSettingView;
export const ZSetDefaultOtpSettingInput = ZSettingTarget;
export const ZSetDefaultOtpSettingOutput = ZOtpSettingView;
export const ZRemoveOtpSettingInput = ZSettingTarget;
export const ZRemoveOtpSettingOutput = z.object({ removed: z.literal(true) });
export const ZTestOtpSettingInput = ZTestSendBody;
export const ZTestOtpSettingOutput = ZTestSendResult;
