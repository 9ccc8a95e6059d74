import { revokeUserSession } from '../../services/session';
import { userProcedure } from '../../trpc';
import { ZRevokeSessionInput, ZRevokeSessionOutput } from './schema';

/** Signs one of the admin's sessions out everywhere, at once. */
export const revokeSessionProcedure = userProcedure
  .input(ZRevokeSessionInput)
  .output(ZRevokeSessionOutput)
  .mutation(async ({ ctx, input }) => {
    await revokeUserSession(ctx.db, ctx.user.userId, input.id, ctx.now());
    return { revoked: true as const };
  });
