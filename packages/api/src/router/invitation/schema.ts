import { ZIsoDateTime, ZLoginResult, ZObjectId, ZRole } from '@otp-access/validators';
import { z } from 'zod';
import { ZNewPassword } from '../account/schema';

const ZToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'This invitation link is not complete');

export const ZPreviewInvitationInput = z.strictObject({ token: ZToken });
export const ZPreviewInvitationOutput = z.object({
  id: ZObjectId,
  organization: z.object({ slug: z.string(), name: z.string() }),
  role: ZRole,
  email: z.string(),
  expiresAt: ZIsoDateTime,
  /** The address has an account: sign in to accept; otherwise choose a password here. */
  hasAccount: z.boolean(),
});

export const ZAcceptInvitationInput = z.strictObject({ token: ZToken, password: ZNewPassword });
export const ZAcceptInvitationOutput = ZLoginResult;
