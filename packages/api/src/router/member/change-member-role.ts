import { changeMemberRole } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZChangeMemberRoleInput, ZChangeMemberRoleOutput } from './schema';

export const changeMemberRoleProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZChangeMemberRoleInput)
  .output(ZChangeMemberRoleOutput)
  .mutation(({ ctx, input }) =>
    changeMemberRole(
      ctx.db,
      {
        organizationId: ctx.organization.id,
        actor: ctx.actor,
        grantor: { permissions: ctx.permissions, role: ctx.role },
      },
      input,
      ctx.now(),
    ),
  );
