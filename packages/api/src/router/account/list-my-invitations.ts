import { listMyInvitations } from '../../services/members';
import { userProcedure } from '../../trpc';
import { ZListMyInvitationsOutput } from './schema';

/** Invitations waiting for the signed-in admin's email. */
export const listMyInvitationsProcedure = userProcedure
  .output(ZListMyInvitationsOutput)
  .query(({ ctx }) => listMyInvitations(ctx.db, ctx.user.email, ctx.now()));
