import { listUserSessions } from '../../services/session';
import { userProcedure } from '../../trpc';
import { ZListSessionsOutput } from './schema';

export const listSessionsProcedure = userProcedure.output(ZListSessionsOutput).query(async ({ ctx }) => {
  const sessions = await listUserSessions(ctx.db, ctx.user.userId, ctx.now());
  return sessions.map((s) => ({ ...s, current: s.id === ctx.user.familyId }));
});
