/**
 * REST fuzzing of the settings surface (`/api/otp/settings...`): delivery settings and test
 * sends. What the fuzz-rest files share is in fuzz-rest-support.ts.
 */
import { describe, expect, it } from 'vitest';
import { FUZZ_TITLE, fuzzRoutes } from './fuzz-rest-requests';
import { routes } from './fuzz-rest-routes';
import { handlers, org, snapshots, useRestFuzz } from './fuzz-rest-support';
import { springErrorShape } from './fuzz-support';

const fuzzed = routes.filter((route) => route.path.startsWith('/api/otp/settings'));

useRestFuzz('REST fuzzing, settings surface (fuzz-rest-settings.test.ts)', fuzzed);

describe(FUZZ_TITLE, () => {
  fuzzRoutes(fuzzed);
});

describe('counterexamples the fuzzer found', () => {
  // Was a 500: a lone surrogate in a setting's field made PostgreSQL refuse the JSON config column.
  it('refuses text that is not well-formed Unicode with a 400 naming the field, changing nothing', async () => {
    const before = await snapshots();
    const response = await handlers.route(
      new Request('http://localhost/api/otp/settings/sms/dataport', {
        method: 'PUT',
        headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
        body: '{"isDefault":false,"type":"SMS","provider":"DATAPORT","originator":"O","shortNumber":"1234","operator":"op","username":"\\ud800","accountNumber":"1","password":"p"}',
      }),
    )!;
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(springErrorShape(body, 400, '/api/otp/settings/sms/dataport')).toEqual({ ok: true });
    expect(body.errors).toEqual({ username: 'Must be well-formed Unicode text without NUL characters' });
    expect(await snapshots()).toEqual(before);
  });
});
