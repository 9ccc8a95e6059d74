import { answerMyInvitation } from '../../services/members';
import { userProcedure } from '../../trpc';
import { ZAnswerInvitationInput, ZAnswerInvitationOutput } from './schema';

/** Accepts (joins the organization) or declines one of the admin's invitations. */
export const answerInvitationProcedure = userProcedure
  .input(ZAnswerInvitationInput)
  .output(ZAnswerInvitationOutput)
  .mutation(({ ctx, input }) =>
    answerMyInvitation(ctx.db, { userId: ctx.user.userId, email: ctx.user.email }, input, ctx.now()),
  );
