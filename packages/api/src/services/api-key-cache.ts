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

export interface ApiKeyCache {
  /** The key with this hash, if cached and fresh. */
  get(keyHash: string, now: number): CachedApiKey | undefined;
  set(keyHash: string, key: CachedApiKey, now: number): void;
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

  const invalidate = (apiKeyId: string) => {
    for (const [hash, entry] of entries) if (entry.key.id === apiKeyId) entries.delete(hash);
  };

  const listen = async (attempt: number) => {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.connectionString });
    const lost = (error?: Error) => {
      if (client !== next) return;
      listening = false;
      client = undefined;
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
      // Whatever changed while nobody listened is unknown: start empty.
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
    set(keyHash, key, now) {
      if (!listening) return;
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
      clearTimeout(retry);
      entries.clear();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
