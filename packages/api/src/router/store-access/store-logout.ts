import { storeSessionCookie } from '../../services/store-access';
import { sameSiteProcedure } from '../../trpc';
import { ZStoreLogoutOutput } from './schema';

export const storeLogoutProcedure = sameSiteProcedure.output(ZStoreLogoutOutput).mutation(({ ctx }) => {
  ctx.resHeaders.append('set-cookie', storeSessionCookie(null, ctx.cookies));
  return { status: 'ok' as const };
});
