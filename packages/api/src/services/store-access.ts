import { type Db, newObjectId, type Prisma, sqlPool, stableObjectId } from '@otp-access/db';
import { isUnlimitedAllowance } from '@otp-access/validators';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { AppError, ErrorCode, notFound } from '../errors';
import { type DeliveryConfig, deliver } from './delivery';
import type { Limits } from './limits';
import { issueCode, verifyCode } from './otp-codes';
import { organizationPolicySelect, renderCodeMessage } from './otp-messages';
import type { Keyring } from './secret-box';

/** OTP users' sessions are apart from admin sessions: their own cookie, their own audience. */
export const STORE_SESSION_COOKIE = 'ota_store_session';
/** How long a store session lasts (its token's lifetime, and its cookie's). */
export const STORE_SESSION_SECONDS = 60 * 60;
const ISSUER = 'otp-access';

/** One OTP user identity per store and email (it may cover several published applications). */
export const storeSubjectId = (storeId: string, email: string) =>
  stableObjectId(`store-login:${storeId}:${email}`);

export interface StoreSession {
  storeId: string;
  email: string;
  subjectId: string;
}

/** A store session read from its token: which one it is, and until when it would last. */
export interface ActiveStoreSession extends StoreSession {
  sessionId: string;
  expiresAt: Date;
}

export interface StoreAccessDeps {
  db: Db;
  keyring: () => Keyring;
  delivery: DeliveryConfig;
  limits: Limits;
  codeKey: Uint8Array;
  sessionKey: Uint8Array;
  onBackgroundError?: (error: unknown) => void;
}

async function loadStore(db: Db, storeId: string) {
  const store = await db.store.findUnique({
    where: { id: storeId },
    select: { id: true, name: true, organization: { select: organizationPolicySelect } },
  });
  if (!store) throw notFound();
  return store;
}

/**
 * What a store's sign-in page shows before anyone signs in: its name, description and its
 * organization's name, and whether the given store session token (if any) is a valid one of this
 * store, so the page asks for the apps only then instead of collecting a 401 on every signed-out
 * visit. A token that does not verify is simply "not signed in".
 */
export async function getStoreSignInPage(
  db: Db,
  sessionKey: Uint8Array,
  storeId: string,
  token: string | undefined,
  now: Date,
) {
  const store = await db.store.findUnique({
    where: { id: storeId },
    select: { id: true, name: true, description: true, organization: { select: { name: true } } },
  });
  if (!store) throw notFound();
  const session = token ? await readStoreSession(sessionKey, token, now).catch(() => null) : null;
  return {
    id: store.id,
    name: store.name,
    description: store.description,
    organizationName: store.organization.name,
    signedIn: session?.storeId === store.id,
  };
}

/**
 * Step 1 of a store sign-in. The answer and its timing are the same whether or not the email is
 * an OTP user of the store: the request does the same work for both (the store, the limits,
 * which count every request) and answers; whether the address is an OTP user, the code and its
 * message are settled afterwards, in the background, where no caller can time them.
 */
export async function requestStoreCode(
  deps: StoreAccessDeps,
  input: { storeId: string; email: string; clientIp: string },
  now: Date,
) {
  const store = await loadStore(deps.db, input.storeId);
  // The caller's own budget first: a request it refuses spends no recipient's budget.
  await deps.limits.consume([
    ['sendPerIp', input.clientIp],
    ['sendPerOrganization', store.organization.id],
    ['sendCooldown', `${store.id}:${input.email}`],
    ['sendPerRecipient', input.email],
  ]);
  void sendStoreCodeIfOtpUser(deps, store, input.email, now).catch((error: unknown) =>
    deps.onBackgroundError?.(error),
  );
  return { status: 'sent' as const, expiresInSeconds: store.organization.otpCodeTtlSeconds };
}

async function sendStoreCodeIfOtpUser(
  deps: StoreAccessDeps,
  store: Awaited<ReturnType<typeof loadStore>>,
  email: string,
  now: Date,
) {
  const isOtpUser = await deps.db.otpUser.findFirst({
    where: { storeId: store.id, email },
    select: { id: true },
  });
  if (!isOtpUser) return;
  const { code } = await issueCode(deps.db, deps.codeKey, {
    purpose: 'STORE_LOGIN',
    subjectId: storeSubjectId(store.id, email),
    policy: { length: store.organization.otpCodeLength, ttlSeconds: store.organization.otpCodeTtlSeconds },
    now,
  });
  const message = { to: email, ...renderCodeMessage(store.organization, 'MAIL', code) };
  await deliver(deps.db, deps.keyring(), deps.delivery, {
    organizationId: store.organization.id,
    type: 'MAIL',
    purpose: 'STORE_LOGIN',
    message,
  });
}

export async function issueStoreSession(
  deps: Pick<StoreAccessDeps, 'sessionKey'>,
  session: StoreSession,
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return (
    new SignJWT({ email: session.email, store: session.storeId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience('store')
      .setSubject(session.subjectId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + STORE_SESSION_SECONDS)
      // Its id, so signing out can end it on the server before it expires.
      .setJti(newObjectId(now))
      .sign(deps.sessionKey)
  );
}

/**
 * The sign-in's date on the user (and `updated_at`, as Prisma's `@updatedAt` would). SQL beside
 * the code check's, on the same path every store sign-in waits on.
 */
const SIGNED_IN_SQL =
  'UPDATE otp_user SET last_login_date = $3, updated_at = $3 WHERE store_id = $1 AND email = $2';

/** Step 2: the code → a store session. Wrong, expired, used-up or unknown: one answer. */
export async function verifyStoreCode(
  deps: StoreAccessDeps,
  input: { storeId: string; email: string; code: string; clientIp: string },
  now: Date,
): Promise<{ token: string; session: StoreSession }> {
  await deps.limits.consume([['verifyPerIp', input.clientIp]]);
  const subjectId = storeSubjectId(input.storeId, input.email);
  const ok = await verifyCode(deps.db, deps.codeKey, {
    purpose: 'STORE_LOGIN',
    subjectId,
    code: input.code,
    now,
  });
  if (!ok) throw new AppError(ErrorCode.UNAUTHORIZED, { message: 'Invalid or expired code' });
  await sqlPool(deps.db).query({
    name: 'otp-user-signed-in',
    text: SIGNED_IN_SQL,
    values: [input.storeId, input.email, now],
  });
  const session = { storeId: input.storeId, email: input.email, subjectId };
  return { token: await issueStoreSession(deps, session, now), session };
}

/**
 * The session a store token stands for, if its signature, audience and expiry hold. Whether it
 * was ended by signing out is a database question: `requireActiveStoreSession` answers it, and
 * every use of a session (apps list, download) asks.
 */
export async function readStoreSession(
  sessionKey: Uint8Array,
  token: string | undefined,
  now: Date,
): Promise<ActiveStoreSession> {
  if (!token) throw new AppError(ErrorCode.NO_AUTH_TOKEN);
  try {
    const { payload } = await jwtVerify(token, sessionKey, {
      issuer: ISSUER,
      audience: 'store',
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.email !== 'string' ||
      typeof payload.store !== 'string' ||
      typeof payload.jti !== 'string' ||
      typeof payload.exp !== 'number'
    ) {
      throw new AppError(ErrorCode.INVALID_TOKEN);
    }
    return {
      subjectId: payload.sub,
      email: payload.email,
      storeId: payload.store,
      sessionId: payload.jti,
      expiresAt: new Date(payload.exp * 1000),
    };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AppError(ErrorCode.TOKEN_EXPIRED);
    throw new AppError(ErrorCode.INVALID_TOKEN);
  }
}

/** Refuses a session that was signed out (4004, as any token that is no longer valid). */
export async function requireActiveStoreSession(
  db: Pick<Db, 'revokedStoreSession'>,
  session: StoreSession | ActiveStoreSession,
): Promise<void> {
  if (!('sessionId' in session)) throw new AppError(ErrorCode.INVALID_TOKEN);
  const revoked = await db.revokedStoreSession.findUnique({
    where: { id: session.sessionId },
    select: { id: true },
  });
  if (revoked) throw new AppError(ErrorCode.INVALID_TOKEN);
}

/**
 * Signing out: the token's session is refused from now on, on every instance. A token that is
 * not valid anyway needs nothing. Rows of sessions that have expired by themselves are dropped on
 * the way, so the table holds at most an hour of sign-outs.
 */
export async function endStoreSession(
  db: Db,
  sessionKey: Uint8Array,
  token: string | undefined,
  now: Date,
): Promise<void> {
  let session: ActiveStoreSession;
  try {
    session = await readStoreSession(sessionKey, token, now);
  } catch {
    return;
  }
  await db.revokedStoreSession.createMany({
    data: [{ id: session.sessionId, expiresAt: session.expiresAt }],
    skipDuplicates: true,
  });
  await db.revokedStoreSession.deleteMany({ where: { expiresAt: { lt: now } } });
}

const storeAppSelect = {
  id: true,
  allowedDownloadsNum: true,
  downloadsCount: true,
  lastDownloadDate: true,
  publishedApplication: {
    select: {
      id: true,
      name: true,
      version: true,
      publishedBuild: { select: { fileName: true, size: true } },
    },
  },
} satisfies Prisma.OtpUserSelect;

/** What the signed-in OTP user may download, with what is left of each allowance. */
export async function listStoreApps(db: Db, session: StoreSession) {
  await requireActiveStoreSession(db, session);
  const store = await db.store.findUnique({
    where: { id: session.storeId },
    select: { id: true, name: true },
  });
  if (!store) throw notFound();
  const rows = await db.otpUser.findMany({
    where: { storeId: session.storeId, email: session.email },
    orderBy: { publishedApplication: { name: 'asc' } },
    select: storeAppSelect,
  });
  return {
    store,
    email: session.email,
    apps: rows.map((row) => {
      const allowed = Number(row.allowedDownloadsNum);
      const used = Number(row.downloadsCount);
      return {
        publishedApplicationId: row.publishedApplication.id,
        name: row.publishedApplication.name,
        version: row.publishedApplication.version,
        fileName: row.publishedApplication.publishedBuild?.fileName ?? null,
        size: row.publishedApplication.publishedBuild
          ? Number(row.publishedApplication.publishedBuild.size)
          : null,
        allowedDownloadsNum: allowed,
        downloadsCount: used,
        remainingDownloads: isUnlimitedAllowance(allowed) ? null : Math.max(0, allowed - used),
        lastDownloadDate: row.lastDownloadDate?.toISOString() ?? null,
      };
    }),
  };
}
