import { revokeInvitation } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZRevokeInvitationInput, ZRevokeInvitationOutput } from './schema';

export const revokeInvitationProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZRevokeInvitationInput)
  .output(ZRevokeInvitationOutput)
  .mutation(async ({ ctx, input }) => {
    await revokeInvitation(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input.id);
    return { revoked: true as const };
  });
