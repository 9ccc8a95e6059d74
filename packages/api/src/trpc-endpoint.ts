import { type AnyProcedure, getErrorShape, transformTRPCResponse } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getHTTPStatusCode } from '@trpc/server/http';
import { type AppError, describeError } from './errors';
import { type ApiDependencies, contextForRequest, describeFailure } from './rest/context';
import { limitBody, retryAfterHeaders } from './rest/wire';
import { appRouter } from './root';
import { asProductTRPCError, runProcedure } from './trpc';

export const TRPC_ENDPOINT = '/api/trpc';

const config = appRouter._def._config;
// Keyed by dotted path at run time (what tRPC's own lookup reads), though typed as the tree.
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;

/** One call the endpoint answers itself: the procedure, where it is, and its input (or body). */
interface SingleCall {
  path: string;
  procedure: AnyProcedure;
  /** Sent as a batch (of this one call): the input is keyed by index, the answer is a list. */
  batch: boolean;
  /** A mutation's JSON body, read when the call runs. */
  body?: Request;
  input?: unknown;
}

const isJson = (contentType: string | null) =>
  contentType?.toLowerCase().split(';', 1)[0]?.trim() === 'application/json';

/**
 * The call a request makes, when it is one the endpoint answers itself: a single query by GET
 * or mutation by POST with a JSON body, alone or as a batch of one, on a path that names a
 * procedure. Anything else (batches of several, streams, other content types, unreadable input,
 * unknown paths or methods) is `undefined`, for tRPC's handler to answer, or refuse, as it does.
 */
export function singleCallOf(request: Request, url: URL): SingleCall | undefined {
  const { searchParams, pathname } = url;
  if (searchParams.has('connectionParams')) return undefined;
  const { headers } = request;
  if (headers.has('trpc-accept') || headers.get('accept')?.includes('application/jsonl')) return undefined;
  const path = pathname.slice(TRPC_ENDPOINT.length + 1);
  if (!/^[A-Za-z0-9.]+$/.test(path) || !Object.hasOwn(procedures, path)) return undefined;
  const procedure = procedures[path]!;
  const batch = searchParams.get('batch') === '1';
  const type = procedure._def.type;
  if (type === 'query' && request.method === 'GET') {
    const contentType = headers.get('content-type');
    if (contentType !== null && !isJson(contentType)) return undefined;
    const text = searchParams.get('input');
    const json = text ? parseJson(text) : { value: undefined };
    const input = json && inputOf(json.value, batch);
    return input && { path, procedure, batch, input: input.value };
  }
  if (type === 'mutation' && request.method === 'POST') {
    if (!isJson(headers.get('content-type'))) return undefined;
    return { path, procedure, batch, body: request };
  }
  return undefined;
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** A call's input in the request's JSON: a batch's inputs are an object keyed by index. */
function inputOf(json: unknown, batch: boolean): { value: unknown } | undefined {
  if (!batch || json === undefined) return { value: json };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  return { value: (json as Record<string, unknown>)[0] };
}

/** What tRPC's own handler sets on every JSON answer (a new object each: adapters may add to it). */
const answerHeaders = () => ({ vary: 'trpc-accept, accept', 'content-type': 'application/json' });

/**
 * The tRPC endpoint, `/api/trpc/*`, as a `Request -> Response` function.
 *
 * A single call (what `httpLink` sends, and `httpBatchLink` when it has one call to send) runs
 * its procedure with `runProcedure` and is answered here, in tRPC's own response shape, error shape and status:
 * tRPC's handler spends a measurable share of a small call's CPU on abort signals and copies of
 * its options that such a call does not need (bench/FINDINGS.md). Every other request goes to
 * tRPC's fetch handler, which stays the reference: the tests hold both to the same answers.
 */
export function createTrpcEndpoint(options: ApiDependencies, { singleCalls = true } = {}) {
  const answer = async (request: Request, call: SingleCall): Promise<Response> => {
    const resHeaders = new Headers();
    const type = call.procedure._def.type;
    let input = call.input;
    let ctx: ReturnType<typeof contextForRequest> | undefined;
    let status = 200;
    let body: unknown;
    try {
      if (call.body) {
        const text = await call.body.text();
        const json = parseJson(text);
        const parsed = json && inputOf(json.value, call.batch);
        // Not JSON, or not a batch's inputs: tRPC's handler refuses it, with its own message.
        if (!parsed) {
          const again = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
          return fetchHandler(again, request);
        }
        input = parsed.value;
      }
      ctx = contextForRequest(options, request, { resHeaders });
      body = { result: { data: await runProcedure(call.procedure, ctx, input, call.path) } };
    } catch (cause) {
      const error = asProductTRPCError(cause);
      retryAfterHeaders(describeFailure(options, error, request), resHeaders);
      const response = { error: getErrorShape({ config, error, type, path: call.path, input, ctx }) };
      status = getHTTPStatusCode(response as Parameters<typeof getHTTPStatusCode>[0]);
      body = response;
    }
    const answered = transformTRPCResponse(config, body as never);
    const text = JSON.stringify(call.batch ? [answered] : answered);
    // Most calls set no header of their own: then a plain object, which the node:http adapter
    // writes as it is (see `json` in rest/wire.ts).
    if (resHeaders.keys().next().done) return new Response(text, { status, headers: answerHeaders() });
    const headers = new Headers(answerHeaders());
    for (const [key, value] of resHeaders) headers.append(key, value);
    return new Response(text, { status, headers });
  };

  /** tRPC's own handler, for everything the endpoint does not answer itself. */
  const fetchHandler = (limited: Request, request: Request, refused?: AppError) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: limited,
      router: appRouter,
      createContext: ({ resHeaders }) => {
        if (refused) throw refused.toTRPCError();
        return contextForRequest(options, request, { resHeaders });
      },
      onError: ({ error }) => {
        describeFailure(options, error, request);
      },
      // A rate-limited call says when to come back, as on the REST surfaces.
      responseMeta: ({ errors }) => {
        const headers = new Headers();
        for (const error of errors) retryAfterHeaders(describeError(error), headers);
        return { headers };
      },
    });

  return async (request: Request): Promise<Response> => {
    // The body is capped before anything reads it; one over the limit is refused before parsing.
    let limited: Request;
    try {
      limited = limitBody(request);
    } catch (error) {
      return fetchHandler(request, request, error as AppError);
    }
    const call = singleCalls ? singleCallOf(limited, new URL(request.url)) : undefined;
    return call ? answer(request, call) : fetchHandler(limited, request);
  };
}
