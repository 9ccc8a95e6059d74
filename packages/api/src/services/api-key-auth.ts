import { type Db, hashApiKey, type Prisma } from '@otp-access/db';
import { isPermission, type Permission } from '@otp-access/validators';
import { AppError, ErrorCode } from '../errors';
import type { ApiKeyCache, CachedApiKey } from './api-key-cache';

/** A script or integration calling with an API key of one organization. */
export interface ApiKeyPrincipal {
  kind: 'apiKey';
  apiKeyId: string;
  organizationId: string;
  organizationSlug: string;
  organizationName: string;
  permissions: ReadonlySet<Permission>;
  /** For audit trails: never the key itself. */
  label: string;
}

const apiKeySelect = {
  id: true,
  name: true,
  prefix: true,
  permissions: true,
  revokedAt: true,
  lastUsedAt: true,
  organization: { select: { id: true, slug: true, name: true } },
} satisfies Prisma.ApiKeySelect;

/** Refreshing lastUsedAt on every request would turn each read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * `Authorization: Bearer <key>` → the key's principal. No header → 4002; anything else wrong → 4004.
 * With a cache, a key seen in the last seconds costs no query (revocations reach it by NOTIFY).
 */
export async function authenticateApiKey(
  db: Db,
  authorization: string | null,
  now: Date,
  cache?: ApiKeyCache,
): Promise<ApiKeyPrincipal> {
  if (!authorization?.trim()) throw new AppError(ErrorCode.NO_AUTH_TOKEN);
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match || match[1]!.length > 512) throw new AppError(ErrorCode.INVALID_TOKEN);
  const keyHash = hashApiKey(match[1]!);
  let key: CachedApiKey | undefined = cache?.get(keyHash, now.getTime());
  if (!key) {
    const ticket = cache?.ticket();
    const row = await db.apiKey.findUnique({ where: { keyHash }, select: apiKeySelect });
    if (!row || row.revokedAt) throw new AppError(ErrorCode.INVALID_TOKEN);
    key = row;
    if (cache) cache.set(keyHash, key, now.getTime(), ticket!);
  }

  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Marked first, so parallel requests on a cached key do not all write it.
    key.lastUsedAt = now;
    await db.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now }, select: { id: true } });
  }
  return {
    kind: 'apiKey',
    apiKeyId: key.id,
    organizationId: key.organization.id,
    organizationSlug: key.organization.slug,
    organizationName: key.organization.name,
    permissions: new Set(key.permissions.filter(isPermission)),
    label: `apiKey:${key.id} (${key.name}, ${key.prefix}…)`,
  };
}
