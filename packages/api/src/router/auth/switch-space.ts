import { spaceCookie } from '../../cookies';
import { AppError, ErrorCode } from '../../errors';
import { userProcedure } from '../../trpc';
import { ZSwitchSpaceInput, ZSwitchSpaceOutput } from './schema';

/** Remembers the space the UI works in (a cookie that tRPC calls fall back to without X-Space). */
export const switchSpaceProcedure = userProcedure
  .input(ZSwitchSpaceInput)
  .output(ZSwitchSpaceOutput)
  .mutation(({ ctx, input }) => {
    const membership = ctx.user.memberships.find((m) => m.slug === input.slug);
    if (!membership)
      throw new AppError(ErrorCode.FORBIDDEN, { message: 'You are not a member of this space' });
    ctx.resHeaders.append('set-cookie', spaceCookie(membership.slug, ctx.cookies));
    return { slug: membership.slug, name: membership.name, role: membership.role };
  });
