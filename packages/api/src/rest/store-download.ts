import { Readable } from 'node:stream';
import { ZObjectId } from '@otp-access/validators';
import { z } from 'zod';
import { isCrossSiteRequest, readCookies } from '../cookies';
import { AppError, describeError, ErrorCode, validationError } from '../errors';
import { openStoreDownload } from '../services/builds/download';
import type { BuildStorage } from '../services/builds/storage';
import { deriveKey } from '../services/session';
import { readStoreSession, STORE_SESSION_COOKIE } from '../services/store-access';
import type { ApiDependencies } from './context';
import { springError } from './spring';

export const STORE_DOWNLOAD_PREFIX = '/api/store/';
const DOWNLOAD_PATH = /^\/api\/store\/([^/]+)\/apps\/([^/]+)\/download$/;
const ZDownloadPath = z.object({ storeId: ZObjectId, publishedApplicationId: ZObjectId });

/** `filename` for old clients (ASCII, no quotes), `filename*` with the real name (RFC 6266). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * `GET /api/store/{storeId}/apps/{publishedApplicationId}/download` with the OTP user's store
 * session: streams the published build (whole, or the one `Range` asked for). What counts as a
 * download is the service's rule (`openStoreDownload`); this only speaks HTTP.
 */
export function createStoreDownloadHandler(
  options: Pick<ApiDependencies, 'db' | 'session' | 'now' | 'onUnexpectedError'> & {
    storage: () => BuildStorage;
  },
) {
  const sessionKey = deriveKey(options.session, 'store-session');
  return async function handleStoreDownload(request: Request): Promise<Response> {
    const now = options.now?.() ?? new Date();
    const { pathname } = new URL(request.url);
    try {
      const match = DOWNLOAD_PATH.exec(pathname);
      if (!match || request.method !== 'GET') throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const parsed = ZDownloadPath.safeParse({ storeId: match[1], publishedApplicationId: match[2] });
      if (!parsed.success) throw validationError(parsed.error.issues);
      const { storeId, publishedApplicationId } = parsed.data;
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
      if (session.storeId !== storeId) throw new AppError(ErrorCode.ENTITY_NOT_FOUND);
      const download = await openStoreDownload(
        { db: options.db, storage: options.storage },
        session,
        publishedApplicationId,
        request.headers.get('range'),
        now,
      );
      if (download.kind === 'unsatisfiable') {
        const response = springError(
          { status: 416, code: ErrorCode.VALIDATION, message: 'Range not satisfiable' },
          pathname,
          now,
        );
        response.headers.set('content-range', `bytes */${download.size}`);
        return response;
      }
      const headers = new Headers({
        'content-type': download.contentType,
        'content-disposition': contentDisposition(download.fileName),
        'accept-ranges': 'bytes',
        etag: `"${download.sha256}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      const { range } = download;
      headers.set('content-length', String(range ? range.end - range.start + 1 : download.size));
      if (range) headers.set('content-range', `bytes ${range.start}-${range.end}/${download.size}`);
      return new Response(Readable.toWeb(download.body) as ReadableStream<Uint8Array>, {
        status: range ? 206 : 200,
        headers,
      });
    } catch (error) {
      const described = describeError(error);
      if (described.unexpected !== undefined) options.onUnexpectedError?.(described.unexpected, request);
      return springError(described, pathname, now);
    }
  };
}
