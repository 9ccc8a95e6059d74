/**
 * tRPC fuzzing through the HTTP endpoint (single calls, batches, wrong methods, broken
 * encodings), and the malformed calls the fuzzer found. The shared fixture is in
 * fuzz-trpc-support.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError } from '../errors';
import { scaled } from '../testing/figures';
import { callerFor } from '../testing/fixtures';
import { trpcErrorShape } from './fuzz-support';
import { httpCall } from './fuzz-trpc-inputs';
import { callHttp, handlers, org, snapshots, unexpected, useTrpcFuzz } from './fuzz-trpc-support';

useTrpcFuzz('tRPC fuzzing, HTTP (fuzz-trpc-http.test.ts)');

describe('tRPC fuzzing: never a 5xx, always the tRPC error shape, nothing changed on error', () => {
  it('HTTP: single calls, batches, wrong methods and broken encodings', async () => {
    await fc.assert(
      fc.asyncProperty(httpCall, async (call) => {
        await callHttp(call);
      }),
      { numRuns: scaled(250) },
    );
  });
});

describe('tRPC refusals of malformed HTTP calls (counterexamples the fuzzer found)', () => {
  const login = JSON.stringify({ username: 'a@b.example', password: 'x' });
  const cases: [string, () => Request, number][] = [
    // Was a 500 "Internal server error": tRPC's UNSUPPORTED_MEDIA_TYPE had no product error code.
    [
      'a mutation posted without a JSON content type',
      () => new Request('http://localhost/api/trpc/auth.login', { method: 'POST', body: login }),
      415,
    ],
    // Was a 500: tRPC's BAD_REQUEST carried the form parser's TypeError as its cause.
    [
      'a JSON body sent as multipart form data',
      () =>
        new Request('http://localhost/api/trpc/auth.login', {
          method: 'POST',
          headers: { 'content-type': 'multipart/form-data; boundary=x' },
          body: '[]',
        }),
      400,
    ],
    [
      'a mutation called with GET',
      () => new Request(`http://localhost/api/trpc/auth.login?input=${encodeURIComponent(login)}`),
      405,
    ],
    [
      'a query called with POST',
      () =>
        new Request('http://localhost/api/trpc/auth.me', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        }),
      405,
    ],
  ];
  // Was a 500: the key's name goes into the audit trail's JSON column, which refuses a lone surrogate.
  it('refuses an API key name that is not well-formed Unicode, changing nothing', async () => {
    const before = await snapshots();
    const failure = await callerFor(org.apiKey)
      .apiKey.create({ name: 'fuzz\ud800', permissions: ['org.audit.read'] })
      .catch((error: unknown) => error);
    expect(describeError(failure)).toEqual({
      status: 400,
      code: 6001,
      message: 'Database Validation Error',
      data: { name: 'Must be well-formed Unicode text without NUL characters' },
    });
    expect(await snapshots()).toEqual(before);
  });

  it.each(cases)('%s', async (_name, request, status) => {
    unexpected.length = 0;
    const response = await handlers.route(request())!;
    expect(response.status).toBe(status);
    expect(trpcErrorShape(await response.json(), status)).toEqual({ ok: true });
    expect(unexpected).toEqual([]);
  });
});
