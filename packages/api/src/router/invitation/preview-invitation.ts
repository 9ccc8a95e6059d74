import { previewInvitation } from '../../services/members';
import { publicProcedure } from '../../trpc';
import { ZPreviewInvitationInput, ZPreviewInvitationOutput } from './schema';

/** What an invitation link offers, for the page the link opens (its token was mailed to the invitee). */
export const previewInvitationProcedure = publicProcedure
  .input(ZPreviewInvitationInput)
  .output(ZPreviewInvitationOutput)
  .query(async ({ ctx, input }) => {
    await ctx.limits().consume([['verifyPerIp', ctx.clientIp]]);
    return previewInvitation(ctx.db, input.token, ctx.now());
  });
