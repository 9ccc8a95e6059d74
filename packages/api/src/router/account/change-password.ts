import { confirmPassword } from '../../services/admin-two-factor';
import { hashPassword } from '../../services/password';
import { revokeOtherSessions } from '../../services/session';
import { userProcedure } from '../../trpc';
import { ZChangePasswordInput, ZChangePasswordOutput } from './schema';

/** A new password, given the current one; every other session of the account ends. */
export const changePasswordProcedure = userProcedure
  .input(ZChangePasswordInput)
  .output(ZChangePasswordOutput)
  .mutation(async ({ ctx, input }) => {
    const now = ctx.now();
    await ctx.limits().consume([['secondFactorPerAccount', ctx.user.userId]]);
    await confirmPassword(ctx.db, ctx.user.userId, input.currentPassword);
    const passwordHash = await hashPassword(input.newPassword);
    await ctx.db.adminUser.update({
      where: { id: ctx.user.userId },
      data: { passwordHash },
      select: { id: true },
    });
    const before = await ctx.db.refreshToken.findMany({
      where: {
        userId: ctx.user.userId,
        familyId: { not: ctx.user.familyId },
        revokedAt: null,
        expiresAt: { gt: now },
      },
      select: { familyId: true },
    });
    await revokeOtherSessions(ctx.db, ctx.user.userId, ctx.user.familyId, now);
    return { changed: true as const, otherSessionsEnded: new Set(before.map((t) => t.familyId)).size };
  });
