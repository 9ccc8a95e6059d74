/**
 * A key revoked on instance A while instance B looks it up for the first time. B's read happens
 * before the revocation commits, and B stores the result in its cache only after it has already
 * handled the revocation's notification: the interleaving that kept a revoked key alive for the
 * cache's lifetime. It is forced here (B's cache write is held until the notification was
 * handled), not hoped for in a timing loop.
 */
import { createDb, hashApiKey } from '@otp-access/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeyCache, type CachedApiKey, createApiKeyCache } from '../services/api-key-cache';
import { recordFigures, scaled } from '../testing/figures';
import { createTestOrganization, type TestOrganization, testDb, testHandlers } from '../testing/fixtures';

/** B's cache, with every write held until the test lets it through. */
function holdingWrites(cache: ApiKeyCache) {
  const held: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  const wrapper: ApiKeyCache = {
    get: (keyHash, now) => cache.get(keyHash, now),
    ticket: () => cache.ticket(),
    set: (...args: [string, CachedApiKey, number, number]) => {
      held.push(() => cache.set(...args));
      onHeld?.();
    },
    invalidate: (id) => cache.invalidate(id),
    get listening() {
      return cache.listening;
    },
    close: () => cache.close(),
  };
  return {
    wrapper,
    /** Resolves once a lookup has read its row and wants to cache it. */
    nextWrite: () =>
      new Promise<void>((resolve) => {
        if (held.length > 0) resolve();
        else onHeld = resolve;
      }),
    release() {
      for (const write of held.splice(0)) write();
      onHeld = undefined;
    },
  };
}

function startInstance(wrap?: (cache: ApiKeyCache) => ApiKeyCache) {
  const connectionString = process.env.DATABASE_URL!;
  const db = createDb({ connectionString, max: 2 });
  const cache = createApiKeyCache({ connectionString, ttlMs: 60_000 });
  const handlers = testHandlers({ db, apiKeyCache: wrap ? wrap(cache) : cache });
  return { db, cache, handlers };
}
type Instance = ReturnType<typeof startInstance>;

let org: TestOrganization;
let a: Instance;
let b: Instance;
let gate: ReturnType<typeof holdingWrites>;

async function waitFor(condition: () => boolean, timeoutMs: number) {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error(`Condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  org = await createTestOrganization();
  a = startInstance();
  b = startInstance((cache) => {
    gate = holdingWrites(cache);
    return gate.wrapper;
  });
  await waitFor(() => a.cache.listening && b.cache.listening, 5_000);
});

afterAll(async () => {
  for (const instance of [a, b]) {
    await instance.cache.close();
    await instance.db.$disconnect();
  }
});

async function listStores(instance: Instance, key: string): Promise<number> {
  const response = await instance.handlers.route(
    new Request(`http://localhost/v1/organizations/${org.slug}/stores`, {
      headers: { authorization: `Bearer ${key}` },
    }),
  )!;
  await response.arrayBuffer();
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

const idOf = async (key: string) =>
  (await testDb().apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(key) }, select: { id: true } })).id;
const cachedOn = (instance: Instance, key: string) =>
  instance.cache.get(hashApiKey(key), Date.now()) !== undefined;

describe('API key revoked while another instance looks it up', () => {
  it('is refused on the other instance at once, whatever the interleaving', async () => {
    const rounds = scaled(5);
    const figures = { rounds, forcedInterleavings: 0, acceptedAfterRevocation: 0, maxMsToRefuse: 0 };
    for (let round = 0; round < rounds; round++) {
      const key = await org.createApiKey(['mad.store.otpUsers.list']);
      // A second key B has cached: its notification, sent after the revocation's, tells when B
      // has handled the revocation (notifications reach one connection in commit order).
      const marker = await org.createApiKey(['mad.store.otpUsers.list']);
      const markerId = await idOf(marker);
      const seeded = listStores(b, marker);
      await gate.nextWrite();
      gate.release();
      expect(await seeded).toBe(200);
      expect(cachedOn(b, marker)).toBe(true);

      // 1. B reads the key (not yet revoked) and is held before caching it.
      const lookup = listStores(b, key);
      await gate.nextWrite();
      // 2. A revokes it; B hears the notification and handles it (nothing cached to drop yet).
      await revokeOn(a, await idOf(key));
      await testDb().$executeRaw`SELECT pg_notify('otp_access_api_key_changed', ${markerId})`;
      await waitFor(() => !cachedOn(b, marker), 2_000);
      // 3. Only now does B's lookup write its (stale) result to the cache.
      gate.release();
      expect(await lookup).toBe(200); // read before the revocation: this answer was already decided
      figures.forcedInterleavings++;

      const started = performance.now();
      const status = await listStores(b, key);
      if (status === 200) figures.acceptedAfterRevocation++;
      expect(status).toBe(401);
      // Whatever B looks up after a refusal is not cached either way; keep the gate open.
      gate.release();
      figures.maxMsToRefuse = Math.max(figures.maxMsToRefuse, Math.round(performance.now() - started));
    }
    recordFigures('revocation race: API key revoked on A during its first lookup on B (forced)', figures);
  });
});
