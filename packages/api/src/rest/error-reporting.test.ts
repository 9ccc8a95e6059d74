/**
 * A failure outside the error model answers a bare 500 on every REST surface, and is logged
 * through the one logger the surface was given, whichever surface it happened on.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logger';
import type { ApiKeyCache } from '../services/api-key-cache';
import type { BuildStorage } from '../services/builds/storage';
import {
  callerFor,
  createTestOrganization,
  storeSessionCookieFor,
  type TestOrganization,
  testDb,
  testDelivery,
  testHandlers,
  testKeyring,
  testSession,
} from '../testing/fixtures';
import { createAppliveryHandler } from './applivery';
import type { ApiDependencies } from './context';
import { createSessionHandler } from './session';
import { createSettingsHandler } from './settings';
import { createStoreDownloadHandler } from './store-download';

let org: TestOrganization;
let lines: Record<string, unknown>[] = [];

const logger = createLogger({
  level: 'info',
  destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
});

/** A dependency that fails in a way no error model knows. */
const broken = () => {
  throw new Error('the dependency broke');
};
const brokenCache: ApiKeyCache = {
  get: broken,
  ticket: broken,
  set: broken,
  invalidate: broken,
  listening: true,
  close: async () => {},
};
const brokenStorage: BuildStorage = {
  kind: 'local',
  incomingDir: '/nonexistent',
  putFile: async () => broken(),
  read: async () => broken(),
  delete: async () => broken(),
  deletePrefix: async () => broken(),
};
const brokenLimits = {
  consume: async () => broken(),
  refund: async () => broken(),
  reset: async () => broken(),
  count: async () => broken(),
  close: async () => {},
} as unknown as NonNullable<ApiDependencies['limits']>;

const deps: ApiDependencies = {
  db: testDb(),
  session: testSession,
  keyring: testKeyring,
  delivery: testDelivery(),
  logger,
  apiKeyCache: brokenCache,
  storage: brokenStorage,
  limits: brokenLimits,
};

beforeAll(async () => {
  org = await createTestOrganization();
  // The published build's file lives in (the broken) storage rather than in its row.
  const app = await testDb().publishedApplication.findUniqueOrThrow({
    where: { id: org.publishedApplicationId },
    select: { publishedBuildId: true },
  });
  await testDb().build.update({
    where: { id: app.publishedBuildId! },
    data: { content: null, storageKey: `${org.id}/missing` },
    select: { id: true },
  });
  await callerFor(org.apiKey).otpUser.create({
    storeId: org.storeId,
    data: {
      email: 'broken@store.example',
      publishedApplicationId: org.publishedApplicationId,
      allowedDownloadsNum: 5,
    },
  });
});

afterEach(() => {
  lines = [];
  vi.restoreAllMocks();
});

const unexpectedLogged = (path: string) =>
  lines.filter((line) => line.msg === 'unexpected error' && line.path === path);

describe('unexpected failures', () => {
  it('are logged by the Applivery surface through its logger, not the console', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const path = `/v1/organizations/${org.slug}/stores`;
    const response = await createAppliveryHandler(deps)(
      new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${org.apiKey}` } }),
    );
    expect(response.status).toBe(500);
    expect(unexpectedLogged(path)).toHaveLength(1);
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('are logged under the request id their answer carries, the caller having sent none', async () => {
    const path = `/v1/organizations/${org.slug}/stores`;
    const response = await testHandlers(deps).route(
      new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${org.apiKey}` } }),
    )!;
    expect(response.status).toBe(500);
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(unexpectedLogged(path).map((line) => line.reqId)).toEqual([id]);
    expect(lines.find((line) => line.msg === 'request' && line.path === path)?.reqId).toBe(id);
  });

  it('are logged by the settings surface without an error callback', async () => {
    const path = '/api/otp/settings';
    const response = await createSettingsHandler(deps)(
      new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${org.apiKey}` } }),
    );
    expect(response.status).toBe(500);
    expect(unexpectedLogged(path)).toHaveLength(1);
  });

  it('are logged by the session surface without an error callback', async () => {
    const response = await createSessionHandler(deps)(
      new Request('http://localhost/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'someone@example.com', password: 'not the password' }),
      }),
    );
    expect(response.status).toBe(500);
    expect(unexpectedLogged('/login')).toHaveLength(1);
  });

  it('are logged by the download surface, and cost no download', async () => {
    const path = `/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
    const response = await createStoreDownloadHandler(deps)(
      new Request(`http://localhost${path}`, {
        headers: { cookie: await storeSessionCookieFor(org.storeId, 'broken@store.example') },
      }),
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 500, message: 'Internal server error', path });
    expect(unexpectedLogged(path)).toHaveLength(1);
    const user = await testDb().otpUser.findFirstOrThrow({
      where: { storeId: org.storeId, email: 'broken@store.example' },
      select: { downloadsCount: true },
    });
    expect(user.downloadsCount).toBe(0n);
  });
});
