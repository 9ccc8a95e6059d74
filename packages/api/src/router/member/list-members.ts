import { listMembers } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZListMembersOutput } from './schema';

export const listMembersProcedure = organizationProcedure
  .meta({ permission: 'org.members.read' })
  .output(ZListMembersOutput)
  .query(({ ctx }) => listMembers(ctx.db, ctx.organization.id, ctx.now()));
