import {
  ZOrganizationName,
  ZOrganizationSettings,
  ZOtpPolicy,
  ZRenderedCodeMessages,
  ZTestSendResult,
} from '@otp-access/validators';
import { z } from 'zod';

export const ZGetOrganizationOutput = ZOrganizationSettings;
export const ZRenameOrganizationInput = z.strictObject({ name: ZOrganizationName });
export const ZRenameOrganizationOutput = ZOrganizationSettings;
export const ZUpdateOtpPolicyInput = ZOtpPolicy.strict();
export const ZUpdateOtpPolicyOutput = ZOrganizationSettings;
/** Unsaved values to render, so a form previews what it would save; left out = the saved ones. */
export const ZPreviewCodeMessagesInput = z
  .strictObject({ name: ZOrganizationName.optional(), policy: ZOtpPolicy.strict().optional() })
  .optional();
export const ZPreviewCodeMessagesOutput = ZRenderedCodeMessages;
export const ZTestCodeMessageInput = z.strictObject({
  type: z.enum(['SMS', 'MAIL']).default('MAIL'),
  to: z.string().max(320).optional(),
  policy: ZOtpPolicy.strict().optional(),
});
export const ZTestCodeMessageOutput = ZTestSendResult;
export const ZDeleteOrganizationInput = z.strictObject({ confirmName: z.string().max(200) });
export const ZDeleteOrganizationOutput = z.object({ deleted: z.literal(true) });
