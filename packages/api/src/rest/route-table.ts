/**
 * The REST surfaces' route tables: method + path pattern (`/v1/organizations/:organizationSlug/stores`)
 * → the procedure that serves it. Not a tRPC router: each route only says which procedure it
 * calls and how the request fills that procedure's input.
 */
import type { AnyProcedure, inferProcedureInput, inferProcedureOutput } from '@trpc/server';
import { runProcedure, type TRPCContext } from '../trpc';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route reads from a request to build its procedure's input. */
export interface RouteRequest {
  /** The path's `:name` segments. */
  params: Record<string, string>;
  /** The query string (`page` and `limit` as numbers when they are integers). */
  query: Record<string, unknown>;
  /** The body as read for the route (`undefined` when the route reads none). */
  body: unknown;
  headers: Headers;
}

/**
 * A procedure's input as a route may hand it over: the procedure's own field names (a misspelt
 * one does not compile), holding whatever the request said. The procedure validates the values.
 */
export type RequestInput<T> = [T] extends [Record<string, unknown>] ? { [K in keyof T]?: unknown } : unknown;

/** How a route's body is read before its procedure is called. */
export type BodyKind =
  /** No body is read. */
  | 'none'
  /** A JSON body (empty = `{}`). */
  | 'json'
  /** JSON or an HTML form post. */
  | 'json-or-form'
  /** Left unread, for the procedure to stream (build uploads). */
  | 'stream';

export interface Route<O = unknown> {
  method: HttpMethod;
  path: string;
  body: BodyKind;
  call(ctx: TRPCContext, request: RouteRequest): Promise<O>;
}

/**
 * One route: `procedure` is the procedure it calls (`appRouter.store.list`), `input` builds its
 * input from the request, typed by that procedure's input (`'body'`: the body as sent is the
 * whole input).
 */
export function route<P extends AnyProcedure>(definition: {
  method: HttpMethod;
  path: string;
  body?: BodyKind;
  procedure: P;
  input?: ((request: RouteRequest) => RequestInput<inferProcedureInput<P>>) | 'body';
}): Route<inferProcedureOutput<P>> {
  const { procedure, input, path } = definition;
  const inputOf = (request: RouteRequest): unknown => (input === 'body' ? request.body : input?.(request));
  return {
    method: definition.method,
    path,
    body: definition.body ?? 'none',
    // The one place unvalidated request data meets a typed input: the procedure's own input
    // parser checks it before anything uses it.
    call: (ctx, request) =>
      runProcedure(procedure, ctx, inputOf(request), path) as Promise<inferProcedureOutput<P>>,
  };
}

/** A form or JSON body of `{}` stands for "no input" on procedures whose input is optional. */
export const emptyAsUndefined = (body: unknown): unknown =>
  body && typeof body === 'object' && Object.keys(body).length === 0 ? undefined : body;

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface CompiledRoute<R> {
  method: HttpMethod;
  segments: string[];
  route: R;
}

export interface RouteTableOptions {
  /**
   * Match the path as sent: empty segments count and `:name` segments are not percent-decoded.
   * Default: `//` is one separator and parameters are decoded.
   */
  literal?: boolean;
}

export function createRouteTable<R extends { method: HttpMethod; path: string }>(
  routes: readonly R[],
  options: RouteTableOptions = {},
) {
  const split = (path: string) =>
    options.literal ? path.split('/').slice(1) : path.split('/').filter(Boolean);
  const compiled: CompiledRoute<R>[] = routes.map((route) => ({
    method: route.method,
    segments: split(route.path),
    route,
  }));
  return {
    match(method: string, pathname: string): RouteMatch<R> | undefined {
      const parts = split(pathname);
      for (const candidate of compiled) {
        if (candidate.method !== method || candidate.segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        const matches = candidate.segments.every((segment, index) => {
          const part = parts[index]!;
          if (segment.startsWith(':')) {
            if (options.literal) {
              params[segment.slice(1)] = part;
              return part !== '';
            }
            try {
              params[segment.slice(1)] = decodeURIComponent(part);
            } catch {
              return false;
            }
            return true;
          }
          return segment === part;
        });
        if (matches) return { route: candidate.route, params };
      }
      return undefined;
    },
  };
}
