/**
 * Shared pieces of the fuzz tests: arbitraries for hostile values, the "one field broken"
 * mutation of a valid input, and the error-body shapes each surface documents.
 */
import fc from 'fast-check';
import { ErrorCode } from '../errors';

/** Values that break type, range or encoding assumptions of a single field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    0,
    -0,
    -1,
    -2,
    1.5,
    2 ** 31,
    2 ** 53,
    2 ** 63,
    -(2 ** 53),
    1e308,
    -1e308,
    Number.MIN_VALUE,
    '',
    ' ',
    '0',
    '-1',
    '1e3',
    'NaN',
    'Infinity',
    '-Infinity',
    'null',
    'undefined',
    'true',
    '[]',
    '{}',
    '%00',
    '\u0000',
    '\ud800',
    '\u202e\u0644\u0627',
    '💥🧨',
    'a'.repeat(100_000),
    '9'.repeat(400),
    "' OR 1=1 --",
    '\u0024{jndi:ldap://x}',
    '<script>alert(1)</script>',
    '../../etc/passwd',
    '__proto__',
    'constructor',
    'MAIL',
    'SMS',
    'OWNER',
    [],
    {},
    [null],
    Object.create(null),
    { toString: 'x', valueOf: 1 },
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.integer({ min: 50, max: 3_000 }).map(deeplyNested),
);

/** An object or array nested `depth` levels deep. */
export function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

/** Field names worth trying on any object, beyond its own. */
export const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', 'then', 'data'),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Sets an own, enumerable property even for `__proto__`, so it survives JSON.stringify. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

/** A valid object with one thing broken: a field replaced, deleted, added or the whole thing swapped. */
export function almostValid(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const replace = fc
    .tuple(keys.length > 0 ? fc.constantFrom(...keys) : hostileKey, hostileValue)
    .map(([key, value]) => {
      const copy = { ...valid };
      setOwn(copy, key, value);
      return copy;
    });
  const remove = fc.constantFrom(...(keys.length > 0 ? keys : [''])).map((key) => {
    const copy = { ...valid };
    delete copy[key];
    return copy;
  });
  const add = fc.tuple(hostileKey, hostileValue).map(([key, value]) => {
    const copy = { ...valid };
    setOwn(copy, key, value);
    return copy;
  });
  const nestedBreak = fc
    .tuple(fc.constantFrom(...(keys.length > 0 ? keys : [''])), hostileKey, hostileValue)
    .map(([key, inner, value]) => {
      const copy = { ...valid };
      const nested = copy[key];
      if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
        const broken = { ...(nested as Record<string, unknown>) };
        setOwn(broken, inner, value);
        copy[key] = broken;
      } else {
        setOwn(copy, key, value);
      }
      return copy;
    });
  return fc.oneof(
    { weight: 4, arbitrary: replace },
    { weight: 1, arbitrary: remove },
    { weight: 2, arbitrary: add },
    { weight: 2, arbitrary: nestedBreak },
    { weight: 2, arbitrary: fc.constant<unknown>(valid) },
    { weight: 1, arbitrary: fc.constant<unknown>([valid]) },
  );
}

/** Anything at all a JSON document can carry, from tiny to deep. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.anything({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value ?? null) ?? 'null')),
  hostileValue,
);

const ERROR_CODES = new Set<number>(Object.values(ErrorCode));

/** Strings a response must never carry: stack frames, driver and file-system internals. */
export function leaksInternals(text: string): boolean {
  return (
    /\bat [^\s]+ \([^)]*:\d+:\d+\)/.test(text) ||
    /node_modules|PrismaClient|prisma\.[a-zA-Z]+\.(find|create|update|delete)|\.ts:\d+/.test(text)
  );
}

type Shape = { ok: true } | { ok: false; why: string };
const bad = (why: string): Shape => ({ ok: false, why });
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{status:false, error:{code, message, data?}}`, the code one of the catalog's, matching the status. */
export function appliveryErrorShape(body: unknown, status: number): Shape {
  if (!isObject(body) || body.status !== false || !isObject(body.error)) return bad('not an Applivery error');
  const { code, message, data } = body.error;
  if (typeof code !== 'number' || !ERROR_CODES.has(code)) return bad(`unknown code ${String(code)}`);
  if (typeof message !== 'string' || message === '') return bad('no message');
  if (data !== undefined && !isObject(data)) return bad('data is not an object');
  const expected = codeStatus(code);
  if (expected !== status) return bad(`code ${code} answered with ${status}`);
  return { ok: true };
}

/** `{timestamp, status, error, message, path}` with `status` the HTTP status. */
export function springErrorShape(body: unknown, status: number, path: string): Shape {
  if (!isObject(body)) return bad('not an object');
  if (typeof body.timestamp !== 'string' || Number.isNaN(Date.parse(body.timestamp))) return bad('timestamp');
  if (body.status !== status) return bad(`status ${String(body.status)} ≠ ${status}`);
  if (typeof body.error !== 'string' || typeof body.message !== 'string') return bad('error/message');
  if (body.path !== path) return bad(`path ${String(body.path)} ≠ ${path}`);
  if (body.errors !== undefined && !isObject(body.errors)) return bad('errors is not an object');
  return { ok: true };
}

/** One tRPC error envelope: `{error:{message, code, data:{code, httpStatus, appCode, fields}}}`. */
export function trpcErrorShape(item: unknown, status?: number): Shape {
  if (!isObject(item) || !isObject(item.error)) return bad('not a tRPC error');
  const { message, code, data } = item.error;
  if (typeof message !== 'string' || typeof code !== 'number') return bad('message/code');
  if (!isObject(data)) return bad('no data');
  if (typeof data.code !== 'string' || typeof data.httpStatus !== 'number')
    return bad('data.code/httpStatus');
  if (data.httpStatus >= 500) return bad(`httpStatus ${data.httpStatus}`);
  if (status !== undefined && data.httpStatus !== status)
    return bad(`httpStatus ${data.httpStatus} ≠ ${status}`);
  if (typeof data.appCode !== 'number' || !ERROR_CODES.has(data.appCode)) return bad('appCode');
  if (data.fields !== null && !isObject(data.fields)) return bad('fields');
  if ('stack' in data && data.stack !== undefined) return bad('stack');
  return { ok: true };
}

function codeStatus(code: number): number {
  if (code === ErrorCode.INTERNAL) return 500;
  if (code === ErrorCode.UNAVAILABLE) return 503;
  if (code === ErrorCode.ROUTE_NOT_FOUND || code === ErrorCode.ENTITY_NOT_FOUND) return 404;
  if (code >= 4001 && code <= 4005) return code === ErrorCode.FORBIDDEN ? 403 : 401;
  if (code === ErrorCode.CONFLICT) return 409;
  if (code === ErrorCode.VALIDATION) return 400;
  return 429;
}

/** Counts of answers by status, for the figures. */
export class StatusTally {
  readonly counts = new Map<number, number>();
  add(status: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  count(predicate: (status: number) => boolean): number {
    return [...this.counts].filter(([s]) => predicate(s)).reduce((a, [, n]) => a + n, 0);
  }
  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}:${n}`)
      .join(' ');
  }
}
