import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type Db, newObjectId, type Prisma } from '@otp-access/db';
import type { Role } from '@otp-access/validators';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError, ErrorCode } from '../errors';

export const ACCESS_COOKIE = 'ins_access_token';
export const REFRESH_COOKIE = 'ins_refresh_token';
/** The space the web UI works in; tRPC calls without an X-Space header use it. */
export const SPACE_COOKIE = 'ins_space';

export interface SessionConfig {
  /** HMAC key of access tokens, at least 32 bytes; shared by every instance. */
  accessTokenSecret: Uint8Array;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** `auto`: Secure when the request came over https (or a proxy says so). */
  secureCookies: boolean | 'auto';
  maxFailedLogins: number;
  lockSeconds: number;
}

export const DEFAULT_SESSION_SETTINGS = {
  accessTokenTtlSeconds: 300,
  refreshTokenTtlSeconds: 24 * 60 * 60,
  secureCookies: 'auto',
  maxFailedLogins: 5,
  lockSeconds: 600,
} as const satisfies Omit<SessionConfig, 'accessTokenSecret'>;

const ISSUER = 'otp-access';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  /** The refresh-token chain this session belongs to; revoking it ends the session. */
  familyId: string;
  memberships: { organizationId: string; slug: string; name: string; role: Role }[];
  label: string;
}

const derivedKeys = new WeakMap<SessionConfig, Map<string, Uint8Array>>();

/**
 * Independent keys for other purposes (code HMACs, store sessions) from the one configured
 * secret; computed once per configuration, not on every request.
 */
export function deriveKey(config: SessionConfig, purpose: 'otp-code' | 'store-session'): Uint8Array {
  let keys = derivedKeys.get(config);
  if (!keys) {
    keys = new Map();
    derivedKeys.set(config, keys);
  }
  let key = keys.get(purpose);
  if (!key) {
    key = createHmac('sha256', config.accessTokenSecret).update(`otp-access:${purpose}`).digest();
    keys.set(purpose, key);
  }
  return key;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function issueAccessToken(config: SessionConfig, userId: string, familyId: string, now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ fam: familyId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + config.accessTokenTtlSeconds)
    .sign(config.accessTokenSecret);
}

async function verifyAccessToken(config: SessionConfig, token: string, now: Date) {
  try {
    const { payload } = await jwtVerify(token, config.accessTokenSecret, {
      issuer: ISSUER,
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (typeof payload.sub !== 'string' || typeof payload.fam !== 'string')
      throw new AppError(ErrorCode.INVALID_TOKEN);
    return { userId: payload.sub, familyId: payload.fam };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.TOKEN_EXPIRED);
    throw new AppError(ErrorCode.INVALID_TOKEN);
  }
}

const membershipSelect = {
  role: true,
  organization: { select: { id: true, slug: true, name: true } },
} satisfies Prisma.MembershipSelect;

export async function loadMemberships(db: Db, userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    select: membershipSelect,
    orderBy: { organization: { slug: 'asc' } },
  });
  return rows.map((m) => ({
    organizationId: m.organization.id,
    slug: m.organization.slug,
    name: m.organization.name,
    role: m.role,
  }));
}

/** An access token → the signed-in admin, with current memberships. Ended sessions are refused. */
export async function authenticateSession(
  db: Db,
  config: SessionConfig,
  token: string,
  now: Date,
): Promise<UserPrincipal> {
  const { userId, familyId } = await verifyAccessToken(config, token, now);
  const [user, liveToken, memberships] = await Promise.all([
    db.adminUser.findUnique({ where: { id: userId }, select: { id: true, email: true } }),
    db.refreshToken.findFirst({
      where: { familyId, userId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    }),
    loadMemberships(db, userId),
  ]);
  if (!user || !liveToken) throw new AppError(ErrorCode.INVALID_TOKEN);
  return {
    kind: 'user',
    userId,
    email: user.email,
    familyId,
    memberships,
    label: `user:${userId} (${user.email})`,
  };
}

export interface IssuedSession {
  accessToken: string;
  refreshToken: string;
  familyId: string;
}

/** A new refresh-token chain (a sign-in) and its first access token. */
export async function startSession(
  db: Db,
  config: SessionConfig,
  userId: string,
  now: Date,
): Promise<IssuedSession> {
  const familyId = newObjectId(now);
  const refreshToken = randomBytes(32).toString('base64url');
  await db.refreshToken.create({
    data: {
      id: newObjectId(now),
      userId,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: new Date(now.getTime() + config.refreshTokenTtlSeconds * 1000),
      createdAt: now,
    },
    select: { id: true },
  });
  return { accessToken: await issueAccessToken(config, userId, familyId, now), refreshToken, familyId };
}

/**
 * Exchanges a refresh token for a new pair. The old token is retired by one conditional update,
 * so two concurrent refreshes cannot both succeed; presenting a retired token again means it
 * leaked, and the whole chain is revoked.
 */
export async function rotateSession(
  db: Db,
  config: SessionConfig,
  refreshToken: string,
  now: Date,
): Promise<IssuedSession & { userId: string }> {
  const tokenHash = hashToken(refreshToken);
  const current = await db.refreshToken.findUnique({
    where: { tokenHash },
    select: { id: true, userId: true, familyId: true, revokedAt: true, expiresAt: true },
  });
  if (!current) throw new AppError(ErrorCode.INVALID_TOKEN);
  const nextId = newObjectId(now);
  const retired = await db.refreshToken.updateMany({
    where: { id: current.id, revokedAt: null, expiresAt: { gt: now } },
    data: { revokedAt: now, replacedById: nextId },
  });
  if (retired.count === 0) {
    if (current.revokedAt) await revokeFamily(db, current.familyId, now);
    throw new AppError(current.revokedAt ? ErrorCode.INVALID_TOKEN : ErrorCode.TOKEN_EXPIRED);
  }
  const next = randomBytes(32).toString('base64url');
  await db.refreshToken.create({
    data: {
      id: nextId,
      userId: current.userId,
      familyId: current.familyId,
      tokenHash: hashToken(next),
      expiresAt: new Date(now.getTime() + config.refreshTokenTtlSeconds * 1000),
      createdAt: now,
    },
    select: { id: true },
  });
  return {
    userId: current.userId,
    familyId: current.familyId,
    refreshToken: next,
    accessToken: await issueAccessToken(config, current.userId, current.familyId, now),
  };
}

export async function revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
}

/** Ends the session a refresh token belongs to (logout). Unknown tokens are ignored. */
export async function revokeSessionOfRefreshToken(db: Db, refreshToken: string, now: Date): Promise<void> {
  const token = await db.refreshToken.findUnique({
    where: { tokenHash: hashToken(refreshToken) },
    select: { familyId: true },
  });
  if (token) await revokeFamily(db, token.familyId, now);
}

/** The admin's live sessions (one per sign-in: a refresh-token chain), newest first. */
export async function listUserSessions(db: Db, userId: string, now: Date) {
  const rows = await db.refreshToken.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: now } },
    orderBy: { createdAt: 'desc' },
    select: { familyId: true, createdAt: true, expiresAt: true },
    take: 200,
  });
  return rows.map((row) => ({
    id: row.familyId,
    // A chain's id is an ObjectId made at sign-in: its first 4 bytes are the time.
    signedInAt: new Date(Number.parseInt(row.familyId.slice(0, 8), 16) * 1000).toISOString(),
    lastRefreshedAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  }));
}

/**
 * Ends one of the admin's own sessions. Every request checks its chain is live, so its access
 * token is refused from the next request on, on every instance. Another admin's session is 404.
 */
export async function revokeUserSession(db: Db, userId: string, familyId: string, now: Date) {
  const revoked = await db.refreshToken.updateMany({
    where: { userId, familyId, revokedAt: null },
    data: { revokedAt: now },
  });
  if (revoked.count === 0) throw new AppError(ErrorCode.ENTITY_NOT_FOUND);
}

/** Ends every session of the admin but `keepFamilyId` (after a password change). */
export async function revokeOtherSessions(db: Db, userId: string, keepFamilyId: string, now: Date) {
  await db.refreshToken.updateMany({
    where: { userId, familyId: { not: keepFamilyId }, revokedAt: null },
    data: { revokedAt: now },
  });
}
