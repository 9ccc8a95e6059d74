import { AppError, ErrorCode, type ErrorDescription } from '../errors';
import type { UploadSource } from '../services/builds/upload';
import { type ApiDependencies, contextForRequest, describeFailure } from './context';
import { createRouteTable, type Route, type RouteMatch, type RouteTableOptions } from './route-table';
import { readJsonBody, readJsonOrFormBody } from './wire';

/**
 * One REST surface: a route table over procedures, and how it speaks HTTP (its success and error
 * bodies). Every surface reads requests, calls procedures and reports failures the same way;
 * they differ only in their wire format.
 */
export interface RestSurface<O> {
  routes: readonly Route<O>[];
  table?: RouteTableOptions;
  /** The path as the table matches it (say, without a trailing slash); default as sent. */
  pathOf?: (pathname: string) => string;
  /** The organization a route addresses, when its path names one. */
  requestedSpace?: (params: Record<string, string>) => string | null;
  /** The answer to a route's result. */
  answer(result: O, exchange: Exchange): Response;
  /** The answer to a failure, in the surface's error body. */
  refuse(described: ErrorDescription, exchange: Exchange): Response;
}

/** One request being answered. */
export interface Exchange {
  request: Request;
  pathname: string;
  now: Date;
  /** Headers the procedure set (cookies), for the answer. */
  resHeaders: Headers;
}

/** Query parameters that are numbers on the procedure side. */
const NUMERIC_QUERY_PARAMS = new Set(['page', 'limit']);

/** Query string → procedure input; integers become numbers, anything else is left for validation to name. */
function queryToInput(searchParams: URLSearchParams): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, value] of searchParams) {
    input[key] = NUMERIC_QUERY_PARAMS.has(key) && /^-?\d{1,15}$/.test(value) ? Number(value) : value;
  }
  return input;
}

function contentLengthOf(headers: Headers): number | null {
  const value = headers.get('content-length');
  return value && /^\d{1,16}$/.test(value) ? Number(value) : null;
}

async function readBody(match: RouteMatch<Route>, request: Request): Promise<unknown> {
  switch (match.route.body) {
    case 'json':
      return readJsonBody(request);
    case 'json-or-form':
      return readJsonOrFormBody(request);
    default:
      return undefined;
  }
}

/** A stream route's body, handed to the procedure unread. */
function uploadOf(request: Request): UploadSource {
  return {
    contentType: request.headers.get('content-type'),
    contentLength: contentLengthOf(request.headers),
    body: request.body,
  };
}

export function createRestSurface<O>(deps: ApiDependencies, surface: RestSurface<O>) {
  const table = createRouteTable(surface.routes, surface.table);
  return async function handleRestRequest(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const exchange: Exchange = {
      request,
      pathname: url.pathname,
      now: deps.now?.() ?? new Date(),
      resHeaders: new Headers(),
    };
    try {
      const match = table.match(request.method, surface.pathOf?.(url.pathname) ?? url.pathname);
      if (!match) throw new AppError(ErrorCode.ROUTE_NOT_FOUND);
      const body = await readBody(match, request);
      const ctx = contextForRequest(deps, request, {
        resHeaders: exchange.resHeaders,
        requestedSpace: surface.requestedSpace?.(match.params) ?? null,
        ...(match.route.body === 'stream' ? { upload: uploadOf(request) } : {}),
      });
      const result = await match.route.call(ctx, {
        params: match.params,
        query: queryToInput(url.searchParams),
        body,
        headers: request.headers,
      });
      return surface.answer(result, exchange);
    } catch (error) {
      return surface.refuse(describeFailure(deps, error, request), exchange);
    }
  };
}
