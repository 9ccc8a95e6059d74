/**
 * REST fuzzing of the session routes (`/login`, `/validate`, `/refresh`, `/logout`), the store
 * download, the operational endpoints, and of requests aimed at no route at all. What the
 * fuzz-rest files share is in fuzz-rest-support.ts.
 */

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CLIENT_IP_HEADER } from '../trpc';
import { FUZZ_TITLE, fuzzRoutes, fuzzWildRequests } from './fuzz-rest-requests';
import { routes } from './fuzz-rest-routes';
import { handlers, useRestFuzz } from './fuzz-rest-support';
import { springErrorShape } from './fuzz-support';

const fuzzed = routes.filter(
  (route) => route.surface !== 'applivery' && !route.path.startsWith('/api/otp/settings'),
);

useRestFuzz(
  'REST fuzzing, session routes, store download, operational and any path (fuzz-rest-session.test.ts)',
  fuzzed,
);

describe(FUZZ_TITLE, () => {
  fuzzRoutes(fuzzed);
  fuzzWildRequests();
});

describe('counterexamples the fuzzer found', () => {
  // Was a 500: PostgreSQL refuses a NUL in any text value, here the username looked up.
  // The same check as in fuzz-rest-settings.test.ts, on this surface's own route.
  it('refuses a NUL character in a sign-in field with a 400 naming it', async () => {
    const response = await handlers.route(
      new Request('http://localhost/validate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CLIENT_IP_HEADER]: `fuzz-${randomUUID()}` },
        body: '{"username":"\\u0000","otp_code":"123456"}',
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(springErrorShape(body, 400, '/validate')).toEqual({ ok: true });
    expect(body.errors).toEqual({ username: 'Must be well-formed Unicode text without NUL characters' });
  });
});
