/**
 * A key revoked on instance A while instance B looks it up for the first time. B's read happens
 * before the revocation commits, and B stores the result in its cache only after it has already
 * handled the revocation's notification: the interleaving that kept a revoked key alive for the
 * cache's lifetime. It is forced here (B's cache write is held until the notification was
 * handled), not hoped for in a timing loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyCache, CachedApiKey } from '../services/api-key-cache';
// The two-instance helpers, as in services/api-key-cache.test.ts: both follow one key across instances.
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
import { recordFigures, scaled } from '../testing/figures';
import { createTestOrganization, type TestOrganization, testDb } from '../testing/fixtures';

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

let org: TestOrganization;
let a: ApiInstance;
let b: ApiInstance;
let gate: ReturnType<typeof holdingWrites>;

beforeAll(async () => {
  org = await createTestOrganization();
  a = startApiInstance();
  b = startApiInstance({
    wrapCache: (cache) => {
      gate = holdingWrites(cache);
      return gate.wrapper;
    },
  });
  await waitFor(() => a.apiKeyCache.listening && b.apiKeyCache.listening, 5_000, 5);
});

afterAll(async () => {
  await stopApiInstances([a, b]);
});

describe('API key revoked while another instance looks it up', () => {
  it('is refused on the other instance at once, whatever the interleaving', async () => {
    const rounds = scaled(5);
    const figures = { rounds, forcedInterleavings: 0, acceptedAfterRevocation: 0, maxMsToRefuse: 0 };
    for (let round = 0; round < rounds; round++) {
      const key = await org.createApiKey(['mad.store.otpUsers.list']);
      // A second key B has cached: its notification, sent after the revocation's, tells when B
      // has handled the revocation (notifications reach one connection in commit order).
      const marker = await org.createApiKey(['mad.store.otpUsers.list']);
      const markerId = await apiKeyIdOf(marker);
      const seeded = listStoresOn(b, org, marker);
      await gate.nextWrite();
      gate.release();
      expect(await seeded).toBe(200);
      expect(isCachedOn(b, marker)).toBe(true);

      // 1. B reads the key (not yet revoked) and is held before caching it.
      const lookup = listStoresOn(b, org, key);
      await gate.nextWrite();
      // 2. A revokes it; B hears the notification and handles it (nothing cached to drop yet).
      await revokeKeyOn(a, org, await apiKeyIdOf(key));
      await testDb().$executeRaw`SELECT pg_notify('otp_access_api_key_changed', ${markerId})`;
      await waitFor(() => !isCachedOn(b, marker), 2_000, 5);
      // 3. Only now does B's lookup write its (stale) result to the cache.
      gate.release();
      expect(await lookup).toBe(200); // read before the revocation: this answer was already decided
      figures.forcedInterleavings++;

      const started = performance.now();
      const status = await listStoresOn(b, org, key);
      if (status === 200) figures.acceptedAfterRevocation++;
      expect(status).toBe(401);
      // Whatever B looks up after a refusal is not cached either way; keep the gate open.
      gate.release();
      figures.maxMsToRefuse = Math.max(figures.maxMsToRefuse, Math.round(performance.now() - started));
    }
    recordFigures('revocation race: API key revoked on A during its first lookup on B (forced)', figures);
  });
});
