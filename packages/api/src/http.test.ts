import { createDb } from '@otp-access/db';
import { afterAll, describe, expect, it } from 'vitest';
import { isApiPath } from './http';
import { type TestHandlers, testHandlers } from './testing/fixtures';

const unreachable = createDb({ connectionString: 'postgresql://postgres@127.0.0.1:1/none', max: 1 });
afterAll(async () => {
  await unreachable.$disconnect();
});

async function get(handlers: TestHandlers, path: string) {
  const response = await handlers.route(new Request(`http://localhost${path}`))!;
  return { status: response.status, body: await response.json() };
}

describe('operational endpoints', () => {
  it('reports health and readiness of a migrated database', async () => {
    const handlers = testHandlers();
    expect(await get(handlers, '/api/health')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get(handlers, '/api/ready')).toEqual({
      status: 200,
      body: { ready: true, database: 'ok', pendingMigrations: [] },
    });
  });

  it('answers 503 when the database does not', async () => {
    const handlers = testHandlers({ db: unreachable });
    expect((await get(handlers, '/api/health')).status).toBe(503);
    expect(await get(handlers, '/api/ready')).toEqual({
      status: 503,
      body: { ready: false, database: 'unreachable', pendingMigrations: [] },
    });
  });

  it('knows which paths are the API and which are pages', () => {
    for (const path of [
      '/v1/organizations/x/stores',
      '/api/trpc/auth.me',
      '/api/otp/settings',
      '/login',
      '/validate',
      '/api/store/a/apps/b/download',
      '/api/ready',
    ]) {
      expect(isApiPath(path), path).toBe(true);
    }
    for (const path of ['/', '/sign-in', '/store/abc', '/console', '/loginx', '/v1x'])
      expect(isApiPath(path), path).toBe(false);
  });
});
