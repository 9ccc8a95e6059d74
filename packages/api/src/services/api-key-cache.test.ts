/**
 * Two instances of the API (each its own pool and key cache, as two processes would have) on one
 * database: a revoked key must be refused by the revoking instance at once and by the other one
 * within a second, although both had it cached.
 */
import { createDb, hashApiKey } from '@otp-access/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestOrganization, type TestOrganization, testDb, testHandlers } from '../testing/fixtures';
import { startTcpProxy, type TcpProxy, throughProxy } from '../testing/tcp-proxy';
import { type ApiKeyCache, createApiKeyCache } from './api-key-cache';

/** `listenVia`: the connection string the cache hears notifications on (default: the database's). */
function startInstance(listenVia?: string) {
  const connectionString = process.env.DATABASE_URL!;
  const db = createDb({ connectionString, max: 2 });
  const apiKeyCache = createApiKeyCache({ connectionString: listenVia ?? connectionString, ttlMs: 60_000 });
  const handlers = testHandlers({ db, apiKeyCache });
  return { db, apiKeyCache, handlers };
}
type Instance = ReturnType<typeof startInstance>;

let org: TestOrganization;
let a: Instance;
let b: Instance;
/** Between instance b's cache and the database, to cut its notification connection. */
let proxy: TcpProxy;

beforeAll(async () => {
  org = await createTestOrganization();
  const target = new URL(process.env.DATABASE_URL!);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  [a, b] = [startInstance(), startInstance(throughProxy(process.env.DATABASE_URL!, proxy))];
  await waitFor(() => a.apiKeyCache.listening && b.apiKeyCache.listening, 5_000);
});

afterAll(async () => {
  for (const instance of [a, b]) {
    await instance.apiKeyCache.close();
    await instance.db.$disconnect();
  }
  await proxy.close();
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`Condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

async function listStores(instance: Instance, key: string): Promise<number> {
  const response = await instance.handlers.route(
    new Request(`http://localhost/v1/organizations/${org.slug}/stores`, {
      headers: { authorization: `Bearer ${key}` },
    }),
  )!;
  return response.status;
}

async function revokeOn(instance: Instance, apiKeyId: string) {
  const response = await instance.handlers.route(
    new Request('http://localhost/api/trpc/apiKey.revoke', {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: apiKeyId }),
    }),
  )!;
  expect(response.status).toBe(200);
}

async function keyId(key: string) {
  const row = await testDb().apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) } });
  return row.id;
}

const cached = (instance: Instance, key: string) =>
  instance.apiKeyCache.get(hashApiKey(key), Date.now()) !== undefined;

describe('API key cache across instances', () => {
  it('refuses a revoked key at once on the revoking instance and within 1 s on the other', async () => {
    const key = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStores(a, key)).toBe(200);
    expect(await listStores(b, key)).toBe(200);
    expect(cached(a, key) && cached(b, key)).toBe(true);

    await revokeOn(a, await keyId(key));
    expect(await listStores(a, key)).toBe(401);
    const elapsed = await waitFor(async () => (await listStores(b, key)) === 401, 1_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('caches nothing while it cannot hear revocations, and resumes when it can', async () => {
    const key = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStores(b, key)).toBe(200);
    expect(cached(b, key)).toBe(true);

    // Cut its notification connection, as a network fault or database restart would.
    proxy.cut('refuse');
    await waitFor(() => !b.apiKeyCache.listening, 2_000);
    // A revocation nobody announces (written straight to the database) is still seen at once.
    await testDb().apiKey.update({ where: { id: await keyId(key) }, data: { revokedAt: new Date() } });
    expect(await listStores(b, key)).toBe(401);

    proxy.resume();
    await waitFor(() => a.apiKeyCache.listening && b.apiKeyCache.listening, 10_000);
    const fresh = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStores(b, fresh)).toBe(200);
    expect(cached(b, fresh)).toBe(true);
  });
});

describe('createApiKeyCache', () => {
  let cache: ApiKeyCache;
  afterAll(async () => cache?.close());

  it('forgets entries after their time to live', async () => {
    cache = createApiKeyCache({ connectionString: process.env.DATABASE_URL!, ttlMs: 1_000 });
    await waitFor(() => cache.listening, 5_000);
    const key = {
      id: 'k1',
      name: 'n',
      prefix: 'p',
      permissions: [],
      lastUsedAt: null,
      organization: { id: 'o', slug: 's', name: 'S' },
    };
    cache.set('hash', key, 1_000, cache.ticket());
    expect(cache.get('hash', 1_999)).toBe(key);
    expect(cache.get('hash', 2_000)).toBeUndefined();
  });
});
