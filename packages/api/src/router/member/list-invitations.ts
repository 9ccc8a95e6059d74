import { listInvitations } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZListInvitationsOutput } from './schema';

export const listInvitationsProcedure = organizationProcedure
  .meta({ permission: 'org.members.read' })
  .output(ZListInvitationsOutput)
  .query(({ ctx }) => listInvitations(ctx.db, ctx.organization.id, ctx.now()));
