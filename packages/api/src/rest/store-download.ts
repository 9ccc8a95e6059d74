import type { Db } from '@otp-access/db';
import { ZObjectId } from '@otp-access/validators';
import { AppError, describeError, ErrorCode, notFound } from '../errors';
import { isCrossSiteRequest, readCookies } from '../services/principal';
import { deriveKey, type SessionConfig } from '../services/session';
import { readStoreSession, STORE_SESSION_COOKIE, takeDownload } from '../services/store-access';
import { springError } from './spring';

export const STORE_DOWNLOAD_PREFIX = '/api/store/';
const DOWNLOAD_PATH = /^\/api\/store\/([^/]+)\/apps\/([^/]+)\/download$/;

/**
 * `GET /api/store/{storeId}/apps/{publishedApplicationId}/download` with the OTP user's store
 * session: counts one download against the allowance (atomically) and streams the artifact.
 */
export function createStoreDownloadHandler(options: { db: Db; session: SessionConfig; now?: () => Date }) {
  const sessionKey = deriveKey(options.session, 'store-session');
  return async function handleStoreDownload(request: Request): Promise<Response> {
    const now = options.now?.() ?? new Date();
    const { pathname } = new URL(request.url);
    try {
      const match = DOWNLOAD_PATH.exec(pathname);
      if (!match || request.method !== 'GET') throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const [storeId, publishedApplicationId] = [match[1]!, match[2]!];
      for (const [field, value] of [
        ['storeId', storeId],
        ['publishedApplicationId', publishedApplicationId],
      ] as const) {
        if (!ZObjectId.safeParse(value).success)
          throw new AppError(ErrorCode.VALIDATION, {
            data: { [field]: 'Must be 24 hexadecimal characters' },
          });
      }
      // A download spends allowance, and SameSite=Lax cookies ride along on links from other
      // sites: only our own pages (or a typed-in address) may start one.
      if (isCrossSiteRequest(request.headers)) {
        throw new AppError(ErrorCode.FORBIDDEN, { message: 'Start downloads from the store page' });
      }
      const session = await readStoreSession(
        sessionKey,
        readCookies(request.headers)[STORE_SESSION_COOKIE],
        now,
      );
      if (session.storeId !== storeId) throw notFound();
      const artifact = await takeDownload(options.db, session, publishedApplicationId, now);
      return new Response(new Uint8Array(artifact.artifact), {
        status: 200,
        headers: {
          'content-type': artifact.artifactMimeType,
          'content-disposition': `attachment; filename="${artifact.artifactFileName.replace(/["\\\r\n]/g, '_')}"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
      });
    } catch (error) {
      return springError(describeError(error), pathname, now);
    }
  };
}
