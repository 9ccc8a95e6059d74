import type { TRPCRouterRecord } from '@trpc/server';
import { changeMemberRoleProcedure } from './change-member-role';
import { inviteMemberProcedure } from './invite-member';
import { listInvitationsProcedure } from './list-invitations';
import { listMembersProcedure } from './list-members';
import { removeMemberProcedure } from './remove-member';
import { revokeInvitationProcedure } from './revoke-invitation';
import { unlockMemberProcedure } from './unlock-member';

export const memberRouter = {
  list: listMembersProcedure,
  invite: inviteMemberProcedure,
  invitations: listInvitationsProcedure,
  revokeInvitation: revokeInvitationProcedure,
  changeRole: changeMemberRoleProcedure,
  remove: removeMemberProcedure,
  unlock: unlockMemberProcedure,
} satisfies TRPCRouterRecord;
