import { apiKeyPrefix, type Db, generateApiKey, hashApiKey, newObjectId, type Prisma } from '@otp-access/db';
import { isPermission, type Permission } from '@otp-access/validators';
import { AppError, ErrorCode, notFound } from '../errors';
import { API_KEY_CHANNEL, type ApiKeyCache } from './api-key-cache';
import { recordAudit } from './audit';
import type { Actor } from './otp-user';

/** What lists show of a key: never its hash, never the key. */
const apiKeySelect = {
  id: true,
  name: true,
  prefix: true,
  permissions: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiKeySelect;
type ApiKeyRow = Prisma.ApiKeyGetPayload<{ select: typeof apiKeySelect }>;

export function toApiKeyDto(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions.filter(isPermission),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiKeys(db: Db, organizationId: string) {
  const rows = await db.apiKey.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: apiKeySelect,
  });
  return rows.map(toApiKeyDto);
}

/**
 * Creates a key and returns it once: only its hash is kept. A key never gets a permission its
 * creator does not hold.
 */
export async function createApiKey(
  db: Db,
  scope: Actor & { permissions: readonly Permission[] },
  data: { name: string; permissions: Permission[] },
  now: Date,
) {
  const beyond = data.permissions.filter((p) => !scope.permissions.includes(p));
  if (beyond.length > 0) {
    throw new AppError(ErrorCode.FORBIDDEN, {
      message: `You cannot grant permissions you do not hold: ${beyond.join(', ')}`,
    });
  }
  const key = generateApiKey();
  const permissions = [...new Set(data.permissions)];
  return db.$transaction(async (tx) => {
    const row = await tx.apiKey.create({
      data: {
        id: newObjectId(now),
        organizationId: scope.organizationId,
        name: data.name,
        prefix: apiKeyPrefix(key),
        keyHash: hashApiKey(key),
        permissions,
        createdAt: now,
      },
      select: apiKeySelect,
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'apiKey.create',
      targetType: 'ApiKey',
      targetId: row.id,
      changes: { name: data.name, permissions },
    });
    return { apiKey: toApiKeyDto(row), key };
  });
}

/**
 * Revoked keys are refused from the next request on: this instance drops the key from its cache
 * at once, and the NOTIFY sent on commit makes every other instance drop it too.
 */
export async function revokeApiKey(db: Db, scope: Actor, apiKeyId: string, now: Date, cache?: ApiKeyCache) {
  const revoked = await db.$transaction(async (tx) => {
    const existing = await tx.apiKey.findFirst({
      where: { id: apiKeyId, organizationId: scope.organizationId },
      select: { revokedAt: true },
    });
    if (!existing) throw notFound();
    const row = await tx.apiKey.update({
      where: { id: apiKeyId },
      data: { revokedAt: existing.revokedAt ?? now },
      select: apiKeySelect,
    });
    if (!existing.revokedAt) {
      await recordAudit(tx, {
        organizationId: scope.organizationId,
        actor: scope.actor,
        action: 'apiKey.revoke',
        targetType: 'ApiKey',
        targetId: apiKeyId,
      });
    }
    await tx.$executeRaw`SELECT pg_notify(${API_KEY_CHANNEL}, ${apiKeyId})`;
    return toApiKeyDto(row);
  });
  cache?.invalidate(apiKeyId);
  return revoked;
}
