import { sessionCookies } from '../../cookies';
import { type IssuedSession, loadMemberships } from '../../services/session';
import type { TRPCContext } from '../../trpc';

/** Sets the session cookies and answers like the settings API's `/login`: lifetime and spaces. */
export async function sessionResponse(ctx: TRPCContext, session: IssuedSession, userId: string) {
  for (const cookie of sessionCookies(ctx.session, session, ctx.cookies))
    ctx.resHeaders.append('set-cookie', cookie);
  const spaces = await loadMemberships(ctx.db, userId);
  return {
    'expire-seconds': ctx.session.accessTokenTtlSeconds,
    spaces: spaces.map(({ slug, name, role }) => ({ slug, name, role })),
  };
}
