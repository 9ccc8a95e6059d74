import { createDb, type Db, hashApiKey } from '@otp-access/db';
import { expect } from 'vitest';
import { type ApiKeyCache, createApiKeyCache } from '../services/api-key-cache';
import { type TestHandlers, testDb, testHandlers } from './fixtures';

/**
 * Instances of the API on one database, each with its own pool and API-key cache, as separate
 * processes would have: for the tests of a key revoked on one instance while another has it
 * cached.
 */
export interface ApiInstance {
  db: Db;
  apiKeyCache: ApiKeyCache;
  handlers: TestHandlers;
}

/**
 * `listenVia`: the connection string the cache hears notifications on (default: the database's).
 * `wrapCache`: what the handlers use in place of the cache (to hold or observe its writes).
 */
export function startApiInstance(
  options: { listenVia?: string; wrapCache?: (cache: ApiKeyCache) => ApiKeyCache } = {},
): ApiInstance {
  const connectionString = process.env.DATABASE_URL!;
  const db = createDb({ connectionString, max: 2 });
  const apiKeyCache = createApiKeyCache({
    connectionString: options.listenVia ?? connectionString,
    ttlMs: 60_000,
  });
  const handlers = testHandlers({
    db,
    apiKeyCache: options.wrapCache ? options.wrapCache(apiKeyCache) : apiKeyCache,
  });
  return { db, apiKeyCache, handlers };
}

export async function stopApiInstances(instances: ApiInstance[]): Promise<void> {
  for (const instance of instances) {
    await instance.apiKeyCache.close();
    await instance.db.$disconnect();
  }
}

/** The status of an Applivery store list on `instance` with `key`. */
export async function listStoresOn(
  instance: ApiInstance,
  org: { slug: string },
  key: string,
): Promise<number> {
  const response = await instance.handlers.route(
    new Request(`http://localhost/v1/organizations/${org.slug}/stores`, {
      headers: { authorization: `Bearer ${key}` },
    }),
  )!;
  await response.arrayBuffer();
  return response.status;
}

/** Revokes the key `apiKeyId` through `instance`, with the organization's all-permission key. */
export async function revokeKeyOn(instance: ApiInstance, org: { apiKey: string }, apiKeyId: string) {
  const response = await instance.handlers.route(
    new Request('http://localhost/api/trpc/apiKey.revoke', {
      method: 'POST',
      headers: { authorization: `Bearer ${org.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: apiKeyId }),
    }),
  )!;
  expect(response.status).toBe(200);
}

export async function apiKeyIdOf(key: string): Promise<string> {
  const row = await testDb().apiKey.findUniqueOrThrow({
    where: { keyHash: hashApiKey(key) },
    select: { id: true },
  });
  return row.id;
}

export const isCachedOn = (instance: ApiInstance, key: string) =>
  instance.apiKeyCache.get(hashApiKey(key), Date.now()) !== undefined;

/** Polls `condition` every `pollMs` until it holds; the milliseconds it took. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 10,
): Promise<number> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error(`Condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return performance.now() - started;
}
