import { ZIsoDateTime, ZObjectId, ZRole } from '@otp-access/validators';
import { z } from 'zod';

/** New passwords: long enough to resist guessing (NIST SP 800-63B asks for at least 8; we ask 12). */
export const ZNewPassword = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(1024, 'Use at most 1024 characters');
const ZCurrentPassword = z.string().min(1, 'Enter your current password').max(1024);

export const ZGetTwoFactorOutput = z.object({
  otpType: z.enum(['NONE', 'SMS', 'MAIL', 'TOTP']),
  recoveryCodesLeft: z.int().nonnegative(),
  /** Whether codes by email can be sent (the operator configured a mail server). */
  mailAvailable: z.boolean(),
});

export const ZBeginTotpOutput = z.object({
  /** Base32, for typing into the app by hand. */
  secret: z.string(),
  uri: z.string(),
  /** The URI as a QR code (a PNG data URL). */
  qrCode: z.string(),
});

export const ZConfirmTotpInput = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code your app shows'),
});
export const ZRecoveryCodesOutput = z.object({ recoveryCodes: z.array(z.string()) });

export const ZRegenerateRecoveryCodesInput = z.strictObject({ currentPassword: ZCurrentPassword });

export const ZChangePasswordInput = z.strictObject({
  currentPassword: ZCurrentPassword,
  newPassword: ZNewPassword,
});
export const ZChangePasswordOutput = z.object({ changed: z.literal(true), otherSessionsEnded: z.int() });

export const ZSession = z.object({
  id: ZObjectId,
  signedInAt: ZIsoDateTime,
  lastRefreshedAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime,
  /** This browser's session. */
  current: z.boolean(),
});
export const ZListSessionsOutput = z.array(ZSession);
export const ZRevokeSessionInput = z.strictObject({ id: ZObjectId });
export const ZRevokeSessionOutput = z.object({ revoked: z.literal(true) });

export const ZMyInvitation = z.object({
  id: ZObjectId,
  organization: z.object({ slug: z.string(), name: z.string() }),
  role: ZRole,
  expiresAt: ZIsoDateTime,
});
export const ZListMyInvitationsOutput = z.array(ZMyInvitation);
export const ZAnswerInvitationInput = z.strictObject({ id: ZObjectId, accept: z.boolean() });
export const ZAnswerInvitationOutput = ZMyInvitation;
