import { checkReadiness } from '@otp-access/db';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { type AppError, describeError } from './errors';
import { createLogger, requestIdOf } from './logger';
import { createAppliveryHandler } from './rest/applivery';
import { type ApiDependencies, contextForRequest } from './rest/context';
import { limitBody, retryAfterHeaders } from './rest/http';
import { buildOpenApiDocument } from './rest/openapi';
import { createSessionHandler, SESSION_PATHS } from './rest/session';
import { createSettingsHandler, SETTINGS_PATH_PREFIX } from './rest/settings';
import { createStoreDownloadHandler, STORE_DOWNLOAD_PREFIX } from './rest/store-download';
import { appRouter } from './root';
import { isDatabaseReachable } from './services/health';

export type HttpHandlerOptions = ApiDependencies;

export const TRPC_ENDPOINT = '/api/trpc';

/**
 * Every HTTP surface of the API as plain `Request -> Response` functions, free of any web
 * framework: Next route handlers mount them, and so can a bare node:http server.
 */
export function createHttpHandlers(options: HttpHandlerOptions) {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const onUnexpectedError =
    options.onUnexpectedError ??
    ((error: unknown, request: Request) =>
      logger.error(
        {
          reqId: request.headers.get('x-request-id'),
          method: request.method,
          path: new URL(request.url).pathname,
          err: error,
        },
        'unexpected error',
      ));

  options = { ...options, logger };
  const applivery = createAppliveryHandler({ ...options, onUnexpectedError });
  const session = createSessionHandler({ ...options, onUnexpectedError });
  const settings = createSettingsHandler({ ...options, onUnexpectedError });
  const storeDownload = createStoreDownloadHandler({
    ...options,
    onUnexpectedError,
    storage: () => {
      if (!options.storage) throw new Error('Build storage is not configured');
      return options.storage;
    },
  });

  const trpc = (request: Request) => {
    // The body is capped before tRPC reads it; one over the limit is refused before any parsing.
    let limited = request;
    let refused: AppError | undefined;
    try {
      limited = limitBody(request);
    } catch (error) {
      refused = error as AppError;
    }
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: limited,
      router: appRouter,
      createContext: ({ resHeaders }) => {
        if (refused) throw refused.toTRPCError();
        return contextForRequest(options, request, { resHeaders });
      },
      onError: ({ error }) => {
        const described = describeError(error);
        if (described.unexpected !== undefined) onUnexpectedError(described.unexpected, request);
      },
      // A rate-limited call says when to come back, as on the REST surfaces.
      responseMeta: ({ errors }) => {
        const headers = new Headers();
        for (const error of errors) retryAfterHeaders(describeError(error), headers);
        return { headers };
      },
    });
  };

  const health = async () => {
    const ok = await isDatabaseReachable(options.db);
    return Response.json(ok ? { status: 'ok' } : { status: 'unavailable', database: 'unreachable' }, {
      status: ok ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  };

  /** Ready for traffic: the database answers and has every migration of this build. */
  const ready = async () => {
    const readiness = await checkReadiness(options.db);
    return Response.json(readiness, {
      status: readiness.ready ? 200 : 503,
      headers: { 'cache-control': 'no-store' },
    });
  };

  let document: string | undefined;
  const openapi = async () => {
    document ??= JSON.stringify(buildOpenApiDocument());
    return new Response(document, { headers: { 'content-type': 'application/json; charset=utf-8' } });
  };

  /**
   * Dispatch by path; `undefined` for paths that are not the API's (pages). Every API request gets
   * a request id (the caller's `X-Request-Id` or a new one), echoed in the response and on its
   * log line.
   */
  const route = (request: Request): Promise<Response> | undefined => {
    const { pathname } = new URL(request.url);
    const handler = dispatch(pathname);
    if (!handler) return undefined;
    const reqId = requestIdOf(request);
    // Set on the request itself: a copy (`new Request(request, …)`) would turn the server's
    // lightweight request into a full one and read its body through web streams, a large share of
    // the CPU of a small API call.
    request.headers.set('x-request-id', reqId);
    const started = performance.now();
    return handler(request).then((response) => {
      response.headers.set('x-request-id', reqId);
      logger.info(
        {
          reqId,
          method: request.method,
          path: pathname,
          status: response.status,
          durationMs: Math.round(performance.now() - started),
        },
        'request',
      );
      return response;
    });
  };

  const dispatch = (pathname: string): ((request: Request) => Promise<Response>) | undefined => {
    if (pathname === '/v1' || pathname.startsWith('/v1/')) return applivery;
    if (pathname === TRPC_ENDPOINT || pathname.startsWith(`${TRPC_ENDPOINT}/`)) return trpc;
    if (pathname === '/api/health') return health;
    if (pathname === '/api/ready') return ready;
    if (pathname === '/api/openapi.json') return openapi;
    if ((SESSION_PATHS as readonly string[]).includes(pathname)) return session;
    if (pathname === SETTINGS_PATH_PREFIX || pathname.startsWith(`${SETTINGS_PATH_PREFIX}/`)) return settings;
    if (pathname.startsWith(STORE_DOWNLOAD_PREFIX)) return storeDownload;
    return undefined;
  };

  return { applivery, session, settings, storeDownload, trpc, health, ready, openapi, route };
}

/** Paths the API answers (everything else is a page of the web app). */
export function isApiPath(pathname: string): boolean {
  return (
    pathname === '/v1' ||
    pathname.startsWith('/v1/') ||
    pathname === TRPC_ENDPOINT ||
    pathname.startsWith(`${TRPC_ENDPOINT}/`) ||
    pathname === '/api/health' ||
    pathname === '/api/ready' ||
    pathname === '/api/openapi.json' ||
    pathname === SETTINGS_PATH_PREFIX ||
    pathname.startsWith(`${SETTINGS_PATH_PREFIX}/`) ||
    pathname.startsWith(STORE_DOWNLOAD_PREFIX) ||
    (SESSION_PATHS as readonly string[]).includes(pathname)
  );
}
