import { readCookies } from '../../cookies';
import { getStoreSignInPage, STORE_SESSION_COOKIE } from '../../services/store-access';
import { publicProcedure } from '../../trpc';
import { ZGetStoreInput, ZGetStoreOutput } from './schema';

/** What a store's sign-in page shows, and whether this browser is signed in to it already. */
export const getStoreProcedure = publicProcedure
  .input(ZGetStoreInput)
  .output(ZGetStoreOutput)
  .query(({ ctx, input }) =>
    getStoreSignInPage(
      ctx.db,
      ctx.storeSessionKey,
      input.storeId,
      readCookies(ctx.headers)[STORE_SESSION_COOKIE],
      ctx.now(),
    ),
  );
