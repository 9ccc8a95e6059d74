import { AppError, ErrorCode } from '../errors';

export const MAX_BODY_BYTES = 1_000_000;

export function json(status: number, body: unknown, headers?: Headers): Response {
  const out = new Headers(headers);
  out.set('content-type', 'application/json; charset=utf-8');
  out.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: out });
}

const tooLarge = () => new AppError(ErrorCode.VALIDATION, { data: { body: 'Request body too large' } });

async function readText(request: Request): Promise<string> {
  if (Number(request.headers.get('content-length') ?? '0') > MAX_BODY_BYTES) throw tooLarge();
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  return text;
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
    try {
      const form = await request.formData();
      return Object.fromEntries([...form].filter(([, value]) => typeof value === 'string'));
    } catch {
      throw new AppError(ErrorCode.VALIDATION, { data: { body: 'Malformed form data' } });
    }
  }
  return readJsonBody(request);
}

/** `Retry-After` for a rate-limited answer, from the limit's own wait. */
export function retryAfterHeaders(
  data: Record<string, unknown> | undefined,
  headers = new Headers(),
): Headers {
  const seconds = data?.retryAfterSeconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds))
    headers.set('retry-after', String(Math.max(1, Math.ceil(seconds))));
  return headers;
}
