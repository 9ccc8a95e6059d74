/**
 * Two instances of the API (each its own pool and key cache, as two processes would have) on one
 * database: a revoked key must be refused by the revoking instance at once and by the other one
 * within a second, although both had it cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiInstance,
  apiKeyIdOf,
  isCachedOn,
  listStoresOn,
  revokeKeyOn,
  startApiInstance,
  stopApiInstances,
  waitFor,
} from '../testing/api-instances';
import { createTestOrganization, type TestOrganization, testDb } from '../testing/fixtures';
import { startTcpProxy, type TcpProxy, throughProxy } from '../testing/tcp-proxy';
import { type ApiKeyCache, createApiKeyCache } from './api-key-cache';

let org: TestOrganization;
let a: ApiInstance;
let b: ApiInstance;
/** Between instance b's cache and the database, to cut its notification connection. */
let proxy: TcpProxy;

beforeAll(async () => {
  org = await createTestOrganization();
  const target = new URL(process.env.DATABASE_URL!);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  [a, b] = [
    startApiInstance(),
    startApiInstance({ listenVia: throughProxy(process.env.DATABASE_URL!, proxy) }),
  ];
  await waitFor(() => a.apiKeyCache.listening && b.apiKeyCache.listening, 5_000);
});

afterAll(async () => {
  await stopApiInstances([a, b]);
  await proxy.close();
});

describe('API key cache across instances', () => {
  it('refuses a revoked key at once on the revoking instance and within 1 s on the other', async () => {
    const key = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStoresOn(a, org, key)).toBe(200);
    expect(await listStoresOn(b, org, key)).toBe(200);
    expect(isCachedOn(a, key) && isCachedOn(b, key)).toBe(true);

    await revokeKeyOn(a, org, await apiKeyIdOf(key));
    expect(await listStoresOn(a, org, key)).toBe(401);
    const elapsed = await waitFor(async () => (await listStoresOn(b, org, key)) === 401, 1_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('caches nothing while it cannot hear revocations, and resumes when it can', async () => {
    const key = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStoresOn(b, org, key)).toBe(200);
    expect(isCachedOn(b, key)).toBe(true);

    // Cut its notification connection, as a network fault or database restart would.
    proxy.cut('refuse');
    await waitFor(() => !b.apiKeyCache.listening, 2_000);
    // A revocation nobody announces (written straight to the database) is still seen at once.
    await testDb().apiKey.update({ where: { id: await apiKeyIdOf(key) }, data: { revokedAt: new Date() } });
    expect(await listStoresOn(b, org, key)).toBe(401);

    proxy.resume();
    await waitFor(() => a.apiKeyCache.listening && b.apiKeyCache.listening, 10_000);
    const fresh = await org.createApiKey(['mad.store.otpUsers.list']);
    expect(await listStoresOn(b, org, fresh)).toBe(200);
    expect(isCachedOn(b, fresh)).toBe(true);
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
