/** How the REST surfaces read request bodies (capped) and write JSON answers. */
import { AppError, ErrorCode } from '../errors';

export const MAX_BODY_BYTES = 1_000_000;

/** Every JSON answer's own headers. */
const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
} as const;

export function json(status: number, body: unknown, headers?: Headers): Response {
  // Without headers of the caller's, a plain object (a new one: adapters may add to it), which
  // the node:http adapter writes as it is, where a `Headers` is validated on every set and copied
  // back out to be written.
  let out: Record<string, string> | Headers = { ...JSON_HEADERS };
  if (headers) {
    out = new Headers(headers);
    for (const [name, value] of Object.entries(JSON_HEADERS)) out.set(name, value);
  }
  return new Response(JSON.stringify(body), { status, headers: out });
}

const tooLarge = () => new AppError(ErrorCode.VALIDATION, { data: { body: 'Request body too large' } });

/**
 * The request with its body capped at MAX_BODY_BYTES before anything reads it: refused at once
 * by its declared length, or, when none is declared (chunked), cut off while it streams in, so no
 * surface ever buffers or parses more than the limit.
 */
export function limitBody(request: Request): Request {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (!(Number(declared) <= MAX_BODY_BYTES)) throw tooLarge();
    return request;
  }
  if (!request.body) return request;
  let seen = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_BODY_BYTES) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: counted,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);
}

/** A read of a capped body that failed: too large, or the client went away. */
const unreadable = (error: unknown) =>
  error instanceof AppError
    ? error
    : new AppError(ErrorCode.VALIDATION, { data: { body: 'The request body could not be read' } });

async function readText(request: Request): Promise<string> {
  const limited = limitBody(request);
  try {
    return await limited.text();
  } catch (error) {
    throw unreadable(error);
  }
}

/** A JSON body (empty = `{}`); malformed JSON is a validation error naming `body`. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await readText(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(ErrorCode.VALIDATION, { data: { body: 'Malformed JSON' } });
  }
}

/** JSON, or an HTML form post (`application/x-www-form-urlencoded`), as a plain object. */
export async function readJsonOrFormBody(request: Request): Promise<unknown> {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(await readText(request)));
  }
  if (type.startsWith('multipart/form-data')) {
    const limited = limitBody(request);
    try {
      const form = await limited.formData();
      return Object.fromEntries([...form].filter(([, value]) => typeof value === 'string'));
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(ErrorCode.VALIDATION, { data: { body: 'Malformed form data' } });
    }
  }
  return readJsonBody(request);
}

/** When a limit does not say how long to wait. */
const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** `Retry-After` on every rate-limited answer (429), from the limit's own wait when it gave one. */
export function retryAfterHeaders(
  described: { status: number; data?: Record<string, unknown> | undefined },
  headers = new Headers(),
): Headers {
  if (described.status !== 429) return headers;
  const seconds = described.data?.retryAfterSeconds;
  headers.set(
    'retry-after',
    String(
      typeof seconds === 'number' && Number.isFinite(seconds)
        ? Math.max(1, Math.ceil(seconds))
        : DEFAULT_RETRY_AFTER_SECONDS,
    ),
  );
  return headers;
}
