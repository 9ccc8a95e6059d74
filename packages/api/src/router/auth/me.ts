import { userProcedure } from '../../trpc';
import { ZMeOutput } from './schema';

export const meProcedure = userProcedure.output(ZMeOutput).query(({ ctx }) => {
  const spaces = ctx.user.memberships.map(({ slug, name, role }) => ({ slug, name, role }));
  const activeSpace = spaces.some((s) => s.slug === ctx.requestedSpace) ? ctx.requestedSpace : null;
  return { userId: ctx.user.userId, email: ctx.user.email, spaces, activeSpace };
});
