import type { TRPCRouterRecord } from '@trpc/server';
import { changeMemberRoleProcedure } from './change-member-role';
import { inviteMemberProcedure } from './invite-member';
import { listMembersProcedure } from './list-members';
import { removeMemberProcedure } from './remove-member';
import { unlockMemberProcedure } from './unlock-member';

export const memberRouter = {
  list: listMembersProcedure,
  invite: inviteMemberProcedure,
  changeRole: changeMemberRoleProcedure,
  remove: removeMemberProcedure,
  unlock: unlockMemberProcedure,
} satisfies TRPCRouterRecord;
