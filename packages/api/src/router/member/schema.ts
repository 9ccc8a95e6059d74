import { ZAdminEmail, ZMember, ZObjectId, ZRole } from '@otp-access/validators';
import { z } from 'zod';

export const ZListMembersOutput = z.array(ZMember);
export const ZInviteMemberInput = z.strictObject({ email: ZAdminEmail, role: ZRole });
/** `initialPassword` is set, once, when the invitation created a new account. */
export const ZInviteMemberOutput = z.object({ member: ZMember, initialPassword: z.string().nullable() });
export const ZChangeMemberRoleInput = z.strictObject({ userId: ZObjectId, role: ZRole });
export const ZChangeMemberRoleOutput = ZMember;
export const ZRemoveMemberInput = z.strictObject({ userId: ZObjectId });
export const ZRemoveMemberOutput = z.object({ removed: z.literal(true) });
export const ZUnlockMemberInput = z.strictObject({ userId: ZObjectId });
export const ZUnlockMemberOutput = ZMember;
