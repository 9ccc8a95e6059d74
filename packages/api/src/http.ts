import { checkReadiness } from '@otp-access/db';
import { createLogger, requestIdOf } from './logger';
import { createAppliveryHandler } from './rest/applivery';
import type { ApiDependencies } from './rest/context';
import { buildOpenApiDocument } from './rest/openapi';
import { createSessionHandler, SESSION_PATHS } from './rest/session';
import { createSettingsHandler, SETTINGS_PATH_PREFIX } from './rest/settings';
import { createStoreDownloadHandler, STORE_DOWNLOAD_PREFIX } from './rest/store-download';
import { isDatabaseReachable } from './services/health';
import { createTrpcEndpoint, TRPC_ENDPOINT } from './trpc-endpoint';

export type HttpHandlerOptions = ApiDependencies & {
  /**
   * false: every tRPC call is answered by tRPC's own handler, the reference the endpoint's short
   * path is held to (in tests, and in the bench's in-process comparison).
   */
  trpcSingleCalls?: boolean;
};

/** Headers of an answer that is yet to be written (node:http's `ServerResponse`). */
export interface AnswerHeaders {
  setHeader(name: string, value: string): unknown;
}

/** A path and everything under it. */
const under = (prefix: string) => (pathname: string) =>
  pathname === prefix || pathname.startsWith(`${prefix}/`);
const exactly =
  (...paths: readonly string[]) =>
  (pathname: string) =>
    paths.includes(pathname);

/**
 * The one list of the API's paths, first match wins: which surface answers a path. Paths that
 * match none are pages of the web app.
 */
const SURFACES = [
  { surface: 'applivery', matches: under('/v1') },
  { surface: 'trpc', matches: under(TRPC_ENDPOINT) },
  { surface: 'health', matches: exactly('/api/health') },
  { surface: 'ready', matches: exactly('/api/ready') },
  { surface: 'openapi', matches: exactly('/api/openapi.json') },
  { surface: 'session', matches: exactly(...SESSION_PATHS) },
  { surface: 'settings', matches: under(SETTINGS_PATH_PREFIX) },
  { surface: 'storeDownload', matches: (pathname: string) => pathname.startsWith(STORE_DOWNLOAD_PREFIX) },
] as const;

type Surface = (typeof SURFACES)[number]['surface'];

function surfaceOf(pathname: string): Surface | undefined {
  return SURFACES.find((entry) => entry.matches(pathname))?.surface;
}

/** Paths the API answers (everything else is a page of the web app). */
export function isApiPath(pathname: string): boolean {
  return surfaceOf(pathname) !== undefined;
}

/**
 * Every HTTP surface of the API as plain `Request -> Response` functions, free of any web
 * framework: Next route handlers mount them, and so can a bare node:http server.
 */
export function createHttpHandlers(options: HttpHandlerOptions) {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  options = { ...options, logger };
  // The request line's fields are fixed (id, method, path, status, duration) and none is one a
  // secret hides under, so it skips the redaction every other line gets: redacting by key cost
  // 60% of writing the line, about 8 µs per request (bench/FINDINGS.md).
  const requestLog = logger.child({}, { redact: [] });
  const applivery = createAppliveryHandler(options);
  const session = createSessionHandler(options);
  const settings = createSettingsHandler(options);
  const storeDownload = createStoreDownloadHandler(options);

  const trpc = createTrpcEndpoint(options, { singleCalls: options.trpcSingleCalls ?? true });

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

  const handlers: Record<Surface, (request: Request) => Promise<Response>> = {
    applivery,
    trpc,
    health,
    ready,
    openapi,
    session,
    settings,
    storeDownload,
  };

  /**
   * Dispatch by path; `undefined` for paths that are not the API's (pages). Every API request gets
   * a request id (the caller's `X-Request-Id` or a new one), echoed in the response and on its
   * log lines. On node:http the adapter passes its outgoing response as `answer`, and the id is
   * set there: set on the `Response`, it would turn a plain header object into a `Headers` that
   * is then copied back out to be written.
   */
  const route = (request: Request, answer?: AnswerHeaders): Promise<Response> | undefined => {
    const { pathname } = new URL(request.url);
    const surface = surfaceOf(pathname);
    if (!surface) return undefined;
    const handler = handlers[surface];
    const reqId = requestIdOf(request);
    answer?.setHeader('x-request-id', reqId);
    const started = performance.now();
    return handler(request).then((response) => {
      if (!answer) response.headers.set('x-request-id', reqId);
      requestLog.info(
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

  return { applivery, session, settings, storeDownload, trpc, health, ready, openapi, route };
}
