import { inviteMember } from '../../services/members';
import { organizationProcedure } from '../../trpc';
import { ZInviteMemberInput, ZInviteMemberOutput } from './schema';

export const inviteMemberProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZInviteMemberInput)
  .output(ZInviteMemberOutput)
  .mutation(({ ctx, input }) =>
    inviteMember(ctx.db, { organizationId: ctx.organization.id, actor: ctx.actor }, input, ctx.now()),
  );
