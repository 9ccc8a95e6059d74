import { ZAdminEmail, ZIsoDateTime, ZMember, ZObjectId, ZRole } from '@otp-access/validators';
import { z } from 'zod';

export const ZListMembersOutput = z.array(ZMember);
export const ZInviteMemberInput = z.strictObject({ email: ZAdminEmail, role: ZRole });
/** A pending invitation: the same answer whether or not the email has an account. */
export const ZInvitation = z.object({
  id: ZObjectId,
  email: z.string(),
  role: ZRole,
  createdAt: ZIsoDateTime,
  expiresAt: ZIsoDateTime,
});
export const ZInviteMemberOutput = z.object({ invitation: ZInvitation });
export const ZListInvitationsOutput = z.array(ZInvitation);
export const ZRevokeInvitationInput = z.strictObject({ id: ZObjectId });
export const ZRevokeInvitationOutput = z.object({ revoked: z.literal(true) });
export const ZChangeMemberRoleInput = z.strictObject({ userId: ZObjectId, role: ZRole });
export const ZChangeMemberRoleOutput = ZMember;
export const ZRemoveMemberInput = z.strictObject({ userId: ZObjectId });
export const ZRemoveMemberOutput = z.object({ removed: z.literal(true) });
export const ZUnlockMemberInput = z.strictObject({ userId: ZObjectId });
export const ZUnlockMemberOutput = ZMember;
