import { acceptInvitationWithNewAccount } from '../../services/members';
import { startSession } from '../../services/session';
import { sameSiteProcedure } from '../../trpc';
import { sessionResponse } from '../auth/session-response';
import { ZAcceptInvitationInput, ZAcceptInvitationOutput } from './schema';

/** A new admin accepts by link: chooses a password, joins, and is signed in. */
export const acceptInvitationProcedure = sameSiteProcedure
  .input(ZAcceptInvitationInput)
  .output(ZAcceptInvitationOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    await ctx.limits().consume([['verifyPerIp', ctx.clientIp]]);
    const { userId } = await acceptInvitationWithNewAccount(ctx.db, input, now);
    const session = await startSession(ctx.db, ctx.session, userId, now);
    return sessionResponse(ctx, session, userId);
  });
