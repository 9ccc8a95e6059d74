/**
 * REST fuzzing of the Applivery surface (`/v1/organizations/...`): stores, published
 * applications and OTP users. What the fuzz-rest files share is in fuzz-rest-support.ts.
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_TITLE, fuzzRoutes } from './fuzz-rest-requests';
import { routes } from './fuzz-rest-routes';
import { authHeaders, handlers, org, otpUserIds, useRestFuzz } from './fuzz-rest-support';
import { appliveryErrorShape } from './fuzz-support';

const fuzzed = routes.filter((route) => route.surface === 'applivery');

useRestFuzz('REST fuzzing, Applivery surface (fuzz-rest-applivery.test.ts)', fuzzed);

describe(FUZZ_TITLE, () => {
  fuzzRoutes(fuzzed);
});

describe('counterexamples the fuzzer found', () => {
  // Was a 500: an admin's space slug from the REST path went to PostgreSQL with its NUL. An
  // unknown space answers as a foreign one does (403), so slugs cannot be enumerated.
  it('answers an unknown space for an organization slug holding a NUL', async () => {
    const headers = await authHeaders('ownerCookie', '');
    const response = await handlers.route(
      new Request(`http://localhost/v1/organizations/%00/stores/${org.storeId}/otp-users/${otpUserIds[0]}`, {
        method: 'DELETE',
        headers,
      }),
    )!;
    expect(response.status).toBe(403);
    expect(appliveryErrorShape(await response.json(), 403)).toEqual({ ok: true });
  });

  it('names the field on the Applivery surface too', async () => {
    const response = await handlers.route(
      new Request(`http://localhost/v1/organizations/${org.slug}/stores/${org.storeId}/otp-users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: `{"email":"a@b.example","publishedApplicationId":"${org.publishedApplicationId}","\\udc00":1}`,
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(appliveryErrorShape(body, 400)).toEqual({ ok: true });
    expect(body.error.data).toEqual({ '\udc00': 'Must be well-formed Unicode text without NUL characters' });
  });
});
