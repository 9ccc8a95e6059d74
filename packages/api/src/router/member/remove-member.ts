import { removeMember } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZRemoveMemberInput, ZRemoveMemberOutput } from './schema';

// Same shape as every procedure on purpose (meta, input, output, one service call): docs/architecture.md
export const removeMemberProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZRemoveMemberInput)
  .output(ZRemoveMemberOutput)
  .mutation(async ({ ctx, input }) => {
    await removeMember(
      ctx.db,
      {
        organizationId: ctx.organization.id,
        actor: ctx.actor,
        grantor: { permissions: ctx.permissions, role: ctx.role },
      },
      input.userId,
    );
    return { removed: true as const };
  });
