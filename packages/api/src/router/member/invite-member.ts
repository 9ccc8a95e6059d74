import { assertMayGrant, inviteMember } from '../../services/members';
import { sendOperatorMail } from '../../services/operator-mail';
import { organizationProcedure } from '../../trpc';
import { ZInviteMemberInput, ZInviteMemberOutput } from './schema';

export const inviteMemberProcedure = organizationProcedure
  .meta({ permission: 'org.members.manage' })
  .input(ZInviteMemberInput)
  .output(ZInviteMemberOutput)
  .mutation(async ({ ctx, input }) => {
    const grantor = { permissions: ctx.permissions, role: ctx.role };
    // A refused grant spends nothing of the organization's invitation budget.
    assertMayGrant(grantor, input.role);
    await ctx.limits().consume([['invitePerOrganization', ctx.organization.id]]);
    return inviteMember(
      ctx.db,
      {
        organizationId: ctx.organization.id,
        organizationName: ctx.organization.name,
        actor: ctx.actor,
        grantor,
      },
      input,
      { publicUrl: ctx.delivery.publicUrl, send: (message) => sendOperatorMail(ctx.delivery, message) },
      ctx.now(),
    );
  });
