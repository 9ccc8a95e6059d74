import pg from 'pg';
import type { Logger } from '../logger';

/** NOTIFY channel on which a change to an API key (revocation) is announced to every instance. */
export const API_KEY_CHANNEL = 'otp_access_api_key_changed';

export interface CachedApiKey {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  lastUsedAt: Date | null;
  organization: { id: string; slug: string; name: string };
}

/** Taken before a database read; a read whose ticket is stale is not cached. */
export type CacheTicket = number;

export interface ApiKeyCache {
  /** The key with this hash, if cached and fresh. */
  get(keyHash: string, now: number): CachedApiKey | undefined;
  /** Call before reading the key from the database; pass the result to `set`. */
  ticket(): CacheTicket;
  /**
   * Caches a key read after `ticket` was taken, unless an invalidation (or a lost listener)
   * happened since: the read may then predate a revocation whose notification is already handled.
   */
  set(keyHash: string, key: CachedApiKey, now: number, ticket: CacheTicket): void;
  /** Drops the key with this id (this instance, now; others hear it through NOTIFY). */
  invalidate(apiKeyId: string): void;
  /** Whether it hears revocations now (it caches nothing while it does not). */
  readonly listening: boolean;
  close(): Promise<void>;
}

/**
 * API-key lookups cached per process for a few seconds, so a busy integration costs no database
 * round trip per request. A revocation is announced with `pg_notify` in the revoking transaction
 * and every instance drops the key when it hears it; while an instance is not listening (startup,
 * lost connection) it caches nothing, so a missed notification can never keep a revoked key alive.
 *
 * A lookup that read the row before a revocation committed may finish after the revocation's
 * notification was handled; caching it then would keep the revoked key for the whole TTL. Every
 * invalidation therefore moves a generation counter, and a lookup caches only if the generation
 * it saw before its read is still current.
 */
export function createApiKeyCache(options: {
  connectionString: string;
  ttlMs?: number;
  maxEntries?: number;
  logger?: Logger;
}): ApiKeyCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { key: CachedApiKey; expiresAt: number }>();
  let listening = false;
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let generation = 0;

  const invalidate = (apiKeyId: string) => {
    generation++;
    for (const [hash, entry] of entries) if (entry.key.id === apiKeyId) entries.delete(hash);
  };

  const listen = async (attempt: number) => {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.connectionString });
    const lost = (error?: Error) => {
      if (client !== next) return;
      listening = false;
      client = undefined;
      generation++;
      entries.clear();
      next.end().catch(() => {});
      if (closed) return;
      options.logger?.warn({ err: error }, 'API key cache: lost its notification connection; not caching');
      retry = setTimeout(() => void listen(attempt + 1), Math.min(5_000, 100 * 2 ** attempt));
    };
    client = next;
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === API_KEY_CHANNEL && message.payload) invalidate(message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${API_KEY_CHANNEL}`);
      if (client !== next) return;
      // Whatever changed while nobody listened is unknown: start empty, and so must lookups
      // that read before now.
      generation++;
      entries.clear();
      listening = true;
      attempt = 0;
    } catch (error) {
      lost(error as Error);
    }
  };
  void listen(0);

  return {
    get(keyHash, now) {
      if (!listening) return undefined;
      const entry = entries.get(keyHash);
      if (!entry) return undefined;
      if (entry.expiresAt <= now) {
        entries.delete(keyHash);
        return undefined;
      }
      return entry.key;
    },
    ticket() {
      return generation;
    },
    set(keyHash, key, now, ticket) {
      if (!listening || ticket !== generation) return;
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(keyHash, { key, expiresAt: now + ttlMs });
    },
    invalidate,
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      generation++;
      clearTimeout(retry);
      entries.clear();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
