import { ZLoginBody, ZLoginResult, ZObjectId, ZSpace } from '@otp-access/validators';
import { z } from 'zod';

export const ZLoginInput = ZLoginBody;
/** Signed in, or (two-factor accounts) a code was sent and `/validate` completes the sign-in. */
export const ZLoginOutput = z.union([
  ZLoginResult,
  z.object({
    otp_required: z.literal(true),
    /** MAIL: a code was mailed; TOTP: the authenticator app's code (or a recovery code) is asked. */
    otp_type: z.enum(['SMS', 'MAIL', 'TOTP']),
    username: z.string(),
  }),
]);

export const ZValidateInput = z.object({
  username: z.string().min(1).max(320),
  /** The mailed or app code (digits), or a recovery code (`xxxxx-xxxxx`). */
  otp_code: z
    .string()
    .trim()
    .regex(/^(\d{6,10}|[a-zA-Z2-9]{5}-?[a-zA-Z2-9]{5})$/, 'The code is 6 to 10 digits, or a recovery code'),
});
export const ZValidateOutput = ZLoginResult;

export const ZSetTwoFactorInput = z.strictObject({
  /** TOTP is turned on through `account.confirmTotp`, not here. */
  otpType: z.enum(['NONE', 'SMS', 'MAIL']),
  /** Needed to move off an authenticator app. */
  currentPassword: z.string().min(1).max(1024).optional(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'A phone number in E.164 form')
    .optional(),
});
export const ZSetTwoFactorOutput = z.object({
  otpType: z.enum(['NONE', 'SMS', 'MAIL', 'TOTP']),
  phone: z.string().nullable(),
});

export const ZRefreshSessionInput = z
  .strictObject({ refresh_token: z.string().min(1).max(512).optional() })
  .optional();
export const ZRefreshSessionOutput = ZLoginResult;

export const ZLogoutOutput = z.object({ status: z.literal('ok') });

export const ZMeOutput = z.object({
  userId: ZObjectId,
  email: z.string(),
  spaces: z.array(ZSpace),
  /** The space tRPC calls without an X-Space header work in, if chosen. */
  activeSpace: z.string().nullable(),
});

export const ZSwitchSpaceInput = z.strictObject({ slug: z.string().min(1).max(64) });
export const ZSwitchSpaceOutput = ZSpace;
