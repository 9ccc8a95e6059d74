import type { inferProcedureOutput } from '@trpc/server';
import { ErrorCode } from '../errors';
import { streamedResponse } from '../node-listener';
import { storeDownloadRouter } from '../router/store-access/router';
import type { ApiDependencies } from './context';
import { route } from './route-table';
import { springError } from './spring';
import { createRestSurface, type Exchange } from './surface';

export const STORE_DOWNLOAD_PREFIX = '/api/store/';

/** The procedure's answer: a file (whole or a range) or a range that cannot be served. */
type StoreDownloadResult = inferProcedureOutput<typeof storeDownloadRouter.download>;

export const storeDownloadRoutes = [
  route({
    method: 'GET',
    path: '/api/store/:storeId/apps/:publishedApplicationId/download',
    procedure: storeDownloadRouter.download,
    input: ({ params, headers }) => ({
      storeId: params.storeId,
      publishedApplicationId: params.publishedApplicationId,
      range: headers.get('range'),
    }),
  }),
] as const;

/** `filename` for old clients (ASCII, no quotes), `filename*` with the real name (RFC 6266). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** The build as the answer's body: streamed from storage, never held in memory. */
function downloadResponse(download: StoreDownloadResult, { pathname, now }: Exchange): Response {
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
  return streamedResponse(download.body, {
    status: range ? 206 : 200,
    headers,
  });
}

/**
 * `GET /api/store/{storeId}/apps/{publishedApplicationId}/download` with the OTP user's store
 * session: the `storeAccess` download procedure's stream as HTTP (whole, or the one `Range` asked
 * for). The path is matched as sent, ids undecoded.
 */
export function createStoreDownloadHandler(options: ApiDependencies) {
  return createRestSurface(options, {
    routes: storeDownloadRoutes,
    table: { literal: true },
    answer: downloadResponse,
    refuse: (described, { pathname, now }) => springError(described, pathname, now),
  });
}
