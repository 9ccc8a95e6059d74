import { notFound } from '../../errors';
import { openStoreDownload } from '../../services/builds/download';
import { publicProcedure, refuseCrossSite, withStoreSession } from '../../trpc';
import { ZDownloadBuildInput } from './schema';

/**
 * The published build of an app for the OTP user signed in to its store: whole, or the one byte
 * range asked for. What counts as a download is the service's rule (`openStoreDownload`).
 *
 * Its answer is a stream, not JSON: served by the REST surface only
 * (`GET /api/store/{storeId}/apps/{publishedApplicationId}/download`), so it is not part of
 * `appRouter` and the tRPC endpoint never reaches it.
 */
export const downloadBuildProcedure = publicProcedure
  // The ids first (400), then where the request came from, then who asks (401).
  .input(ZDownloadBuildInput)
  // A download spends allowance, and SameSite=Lax cookies ride along on links from other sites:
  // only our own pages (or a typed-in address) may start one.
  .use(refuseCrossSite('Start downloads from the store page'))
  .use(withStoreSession)
  .query(({ ctx, input }) => {
    if (ctx.storeSession.storeId !== input.storeId) throw notFound();
    return openStoreDownload(
      { db: ctx.db, storage: ctx.storage },
      ctx.storeSession,
      input.publishedApplicationId,
      input.range ?? null,
      ctx.now(),
    );
  });
