/**
 * The API's test helpers live in this folder (`@otp-access/api/testing` is this file): fixtures
 * (databases, organizations, sessions, HTTP handlers, setting bodies), the small servers some
 * tests spawn as processes (`api-server.ts`, `slow-server.ts`, `upload-server.ts`), pieces several
 * test files share (`api-instances.ts`, `network-faults.ts`, `conformance.ts`, `console.ts`) and
 * the tools of the reliability tests (`figures.ts`, `row-checksums.ts`, `tcp-proxy.ts`). A
 * reliability file's own shared setup sits next to it, in `src/reliability/*-support.ts`. Scratch
 * databases and schema descriptions are the database package's own: `@otp-access/db/testing`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { apiKeyPrefix, createDb, type Db, generateApiKey, hashApiKey, newObjectId } from '@otp-access/db';
import { PERMISSIONS, type Permission, ROLES, type Role } from '@otp-access/validators';
import { type MailSink, startMailSink } from '../delivery/mail-sink';
import { createHttpHandlers, type HttpHandlerOptions } from '../http';
import { createCaller } from '../root';
import { DEFAULT_DELIVERY_CONFIG, type DeliveryConfig } from '../services/delivery';
import { createLimits, type Limits } from '../services/limits';
import { createOutboundPolicy } from '../services/outbound-policy';
import { hashPassword } from '../services/password';
import { type Keyring, parseKeyringSpec } from '../services/secret-box';
import {
  ACCESS_COOKIE,
  DEFAULT_SESSION_SETTINGS,
  deriveKey,
  type SessionConfig,
  startSession,
} from '../services/session';
import { issueStoreSession, STORE_SESSION_COOKIE, storeSubjectId } from '../services/store-access';
import { createTRPCContext } from '../trpc';

export const testKeyring = parseKeyringSpec(`test1:${Buffer.alloc(32, 7).toString('base64')}`);

export const testSession: SessionConfig = {
  ...DEFAULT_SESSION_SETTINGS,
  accessTokenSecret: new TextEncoder().encode('test-only-access-token-secret-0123456789'),
};

/**
 * Tests aim mail settings at local servers on loopback, which the outbound policy refuses by
 * default: they allow it explicitly, as an operator would with OUTBOUND_ALLOW_HOSTS.
 */
export const testOutbound = createOutboundPolicy({ hosts: ['127.0.0.1', '::1', 'localhost'] });

/** Delivery settings of a test: loopback allowed, everything else as given. */
export function testDelivery(overrides: Partial<DeliveryConfig> = {}): DeliveryConfig {
  return { ...DEFAULT_DELIVERY_CONFIG, outbound: testOutbound, ...overrides };
}

/** Every test admin signs in with this password; hashed once per test file. */
export const TEST_PASSWORD = 'correct horse battery staple';
let testPasswordHash: Promise<string> | undefined;

export interface TestMember {
  userId: string;
  email: string;
  role: Role;
}

let sharedDb: Db | undefined;
let sharedLimits: Limits | undefined;

/** Send/verify limits on the test database (every test uses fresh keys: emails, orgs, IPs). */
export function testLimits(): Limits {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('Tests need DATABASE_URL: run them with `pnpm test`.');
  sharedLimits ??= createLimits({ kind: 'postgres', connectionString });
  return sharedLimits;
}

/**
 * Sends `method path` to the handlers' router with `body` as JSON (none when undefined). The
 * caller sets the content type and credentials in `headers`; a path no handler serves throws.
 */
export async function routeJson(
  handlers: { route(request: Request): Promise<Response> | undefined },
  method: string,
  path: string,
  headers: Headers,
  body?: unknown,
): Promise<Response> {
  const response = handlers.route(
    new Request(`http://localhost${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
  );
  if (!response) throw new Error(`No handler serves ${method} ${path}`);
  return response;
}

/** One pooled client per test worker, on the DATABASE_URL the test command provides. */
export function testDb(): Db {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('Tests need DATABASE_URL: run them with `pnpm test`.');
  sharedDb ??= createDb({ connectionString, max: 4 });
  return sharedDb;
}

export type TestHandlers = ReturnType<typeof createHttpHandlers>;

/**
 * The API's HTTP handlers as a test builds them: on the test database, with the test session
 * secret, keyring and limits, and delivery settings that allow loopback (`testDelivery()`).
 * `overrides` replaces any of these (another database, a fixed clock, build storage, delivery
 * aimed at a fake provider) or adds options.
 */
export function testHandlers(overrides: Partial<HttpHandlerOptions> = {}): TestHandlers {
  return createHttpHandlers(testDependencies(overrides));
}

/** What the HTTP handlers are built from in tests (see `testHandlers`). */
export function testDependencies(overrides: Partial<HttpHandlerOptions> = {}): HttpHandlerOptions {
  return {
    db: testDb(),
    session: testSession,
    keyring: testKeyring,
    limits: testLimits(),
    delivery: testDelivery(),
    ...overrides,
  };
}

export interface TestOrganization {
  id: string;
  slug: string;
  storeId: string;
  publishedApplicationId: string;
  /** A second published application in the same store. */
  otherPublishedApplicationId: string;
  /** A key with every permission. */
  apiKey: string;
  /** Creates another key of this organization. */
  createApiKey(permissions: readonly Permission[], options?: { revoked?: boolean }): Promise<string>;
  /** One admin per role, password TEST_PASSWORD. */
  members: Record<Role, TestMember>;
}

/**
 * A fresh organization with a store, two published applications and an all-permission API key.
 * Every test makes its own, so tests share a database without seeing each other's rows.
 */
export async function createTestOrganization(db: Db = testDb()): Promise<TestOrganization> {
  // Never all digits: a name like 'Test 4821907765' would pass for a code in the messages it is in.
  const suffix = `o${randomBytes(5).toString('hex')}`;
  const id = newObjectId();
  const slug = `test-${suffix}`;
  const storeId = newObjectId();
  const applicationId = newObjectId();
  const [publishedApplicationId, otherPublishedApplicationId] = [newObjectId(), newObjectId()];
  await db.organization.create({ data: { id, slug, name: `Test ${suffix}` } });
  await db.store.create({ data: { id: storeId, organizationId: id, name: 'Test Store' } });
  await db.application.create({ data: { id: applicationId, organizationId: id, name: 'Test App' } });
  for (const [index, appId] of [publishedApplicationId, otherPublishedApplicationId].entries()) {
    await db.publishedApplication.create({
      data: {
        id: appId,
        storeId,
        applicationId,
        name: `Test App ${index + 1}`,
        version: `${index + 1}.0.0`,
      },
    });
    await publishInlineBuild(db, id, appId, new Uint8Array([1, 2, 3]));
  }
  const createApiKey = async (permissions: readonly Permission[], options: { revoked?: boolean } = {}) => {
    const key = generateApiKey();
    await db.apiKey.create({
      data: {
        id: newObjectId(),
        organizationId: id,
        name: 'test key',
        prefix: apiKeyPrefix(key),
        keyHash: hashApiKey(key),
        permissions: [...permissions],
        revokedAt: options.revoked ? new Date() : null,
      },
    });
    return key;
  };
  const apiKey = await createApiKey(PERMISSIONS);
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const passwordHash = await testPasswordHash;
  const members = {} as Record<Role, TestMember>;
  for (const role of ROLES) {
    const member = { userId: newObjectId(), email: `${role.toLowerCase()}-${suffix}@admins.example`, role };
    await db.adminUser.create({ data: { id: member.userId, email: member.email, passwordHash } });
    await db.membership.create({ data: { userId: member.userId, organizationId: id, role } });
    members[role] = member;
  }
  return {
    id,
    slug,
    storeId,
    publishedApplicationId,
    otherPublishedApplicationId,
    apiKey,
    createApiKey,
    members,
  };
}

/** A small build kept in its row (no storage needed), published for `publishedApplicationId`. */
export async function publishInlineBuild(
  db: Db,
  organizationId: string,
  publishedApplicationId: string,
  content: Uint8Array,
  fileName = 'app.apk',
): Promise<string> {
  const buildId = newObjectId();
  await db.build.create({
    data: {
      id: buildId,
      organizationId,
      publishedApplicationId,
      fileName,
      contentType: 'application/vnd.android.package-archive',
      size: BigInt(content.length),
      sha256: createHash('sha256').update(content).digest('hex'),
      content: new Uint8Array(content),
      kind: 'FILE',
      createdBy: 'test',
    },
    select: { id: true },
  });
  await db.publishedApplication.update({
    where: { id: publishedApplicationId },
    data: { publishedBuildId: buildId },
    select: { id: true },
  });
  return buildId;
}

/** A Cookie header of a fresh signed-in session of the admin. */
export async function sessionCookieFor(userId: string, now = new Date()): Promise<string> {
  const { accessToken } = await startSession(testDb(), testSession, userId, now);
  return `${ACCESS_COOKIE}=${accessToken}`;
}

/** The `Cookie` header of an OTP user signed in to a store (as after a verified code). */
export async function storeSessionCookieFor(
  storeId: string,
  email: string,
  now = new Date(),
): Promise<string> {
  const token = await issueStoreSession(
    { sessionKey: deriveKey(testSession, 'store-session') },
    { storeId, email, subjectId: storeSubjectId(storeId, email) },
    now,
  );
  return `${STORE_SESSION_COOKIE}=${token}`;
}

/** A tRPC caller signed in as the admin, working in `space`. */
export interface CallerOptions {
  headers?: HeadersInit;
  keyring?: Keyring;
  /** Merged over `testDelivery()`. */
  delivery?: Partial<DeliveryConfig>;
}

/**
 * A tRPC caller of a request with `headers`, as the HTTP layers build one: on the test database,
 * with the test session secret, keyring, limits and delivery settings.
 */
export function testCaller(
  headers: Headers,
  options: Omit<CallerOptions, 'headers'> & { space?: string | null; now?: () => Date } = {},
) {
  return createCaller(
    createTRPCContext({
      db: testDb(),
      session: testSession,
      keyring: options.keyring ?? testKeyring,
      limits: testLimits(),
      delivery: testDelivery(options.delivery),
      headers,
      requestedSpace: options.space ?? null,
      ...(options.now ? { now: options.now } : {}),
    }),
  );
}

export async function callerAsUser(userId: string, space: string | null, options: CallerOptions = {}) {
  const headers = new Headers(options.headers);
  headers.set('cookie', await sessionCookieFor(userId));
  return testCaller(headers, { ...options, space });
}

/** A tRPC caller authenticated with `apiKey`, as the HTTP layers build it. */
export function callerFor(
  apiKey: string | null,
  options: { space?: string; now?: () => Date; keyring?: Keyring; delivery?: DeliveryConfig } = {},
) {
  const headers = new Headers();
  if (apiKey !== null) headers.set('authorization', `Bearer ${apiKey}`);
  return testCaller(headers, options);
}

/** Everything about an organization's OTP users and audit trail, to prove a failed call changed nothing. */
export function snapshotOrganization(db: Db, organizationId: string) {
  return allOf({
    otpUsers: db.otpUser.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    auditEvents: db.auditEvent.count({ where: { organizationId } }),
    apiKeys: db.apiKey.findMany({
      where: { organizationId },
      orderBy: { id: 'asc' },
      omit: { lastUsedAt: true },
    }),
    memberships: db.membership.findMany({ where: { organizationId }, orderBy: { userId: 'asc' } }),
    stores: db.store.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    deliverySettings: db.deliverySetting.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
    publishedApplications: db.publishedApplication.findMany({
      where: { store: { organizationId } },
      orderBy: { id: 'asc' },
    }),
    builds: db.build.findMany({
      where: { organizationId },
      orderBy: { id: 'asc' },
      omit: { content: true, icon: true },
    }),
    invitations: db.invitation.findMany({ where: { organizationId }, orderBy: { id: 'asc' } }),
  });
}

/** `Promise.all` over an object's values, answering with the same keys. */
async function allOf<T extends Record<string, PromiseLike<unknown>>>(
  pending: T,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const entries = await Promise.all(Object.entries(pending).map(async ([key, value]) => [key, await value]));
  return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> };
}

/** A new admin account that is a member of the organization with `role` (password TEST_PASSWORD). */
export async function createTestMember(
  org: { id: string },
  role: Role,
  db: Db = testDb(),
): Promise<TestMember> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const member = {
    userId: newObjectId(),
    email: `member-${randomBytes(6).toString('hex')}@admins.example`,
    role,
  };
  await db.adminUser.create({
    data: { id: member.userId, email: member.email, passwordHash: await testPasswordHash },
  });
  await db.membership.create({ data: { userId: member.userId, organizationId: org.id, role } });
  return member;
}

/** The fields of an OTP user in an Applivery answer, sorted: no more, no fewer. */
export const OTP_USER_FIELDS = [
  'allowedDownloadsNum',
  'createdAt',
  'email',
  'id',
  'lastDownloadDate',
  'lastLoginDate',
  'organizationId',
  'publishedApplicationId',
  'storeId',
  'updatedAt',
];

/** A NetGSM SMS setting with every field it needs (not the default). */
export const netgsmSettingBody = () => ({
  isDefault: false,
  type: 'SMS',
  provider: 'NETGSM',
  username: 'u',
  password: 'p',
  header: 'H',
});

/** A Twilio SMS setting with every field it needs (not the default). */
export const twilioSettingBody = () => ({
  isDefault: false,
  type: 'SMS',
  provider: 'TWILIO',
  accountSid: `AC${'d'.repeat(32)}`,
  authToken: 'x',
  twilioNumber: '+15005550006',
});

/** A Dataport SMS setting with every field it needs (not the default). */
export const dataportSettingBody = () => ({
  isDefault: false,
  type: 'SMS',
  provider: 'DATAPORT',
  username: 'u',
  password: 'p',
  accountNumber: '1',
  originator: 'O',
});

/** A default mail setting (the body of `otpSettings.upsertSmtp`) that sends to a local sink on `port`. */
export const sinkMailSetting = (port: number, fromAddress: string) => ({
  isDefault: true,
  type: 'MAIL',
  provider: 'DEFAULT',
  smtpHost: '127.0.0.1',
  smtpPort: port,
  transportStrategy: 'SMTP' as const,
  fromAddress,
});

/**
 * Makes a local sink on `port` the default mail setting of the organization of `apiKey`: its
 * codes land there.
 */
export async function mailCodesTo(apiKey: string, port: number, fromAddress: string): Promise<void> {
  await callerFor(apiKey).otpSettings.upsertSmtp(sinkMailSetting(port, fromAddress));
}

/**
 * The installation's own mail server for a test: a local sink that admin sign-in codes and
 * invitations go to. Stop it after the tests.
 */
export async function startOperatorMail(): Promise<{ sink: MailSink; delivery: DeliveryConfig }> {
  const sink = await startMailSink();
  return {
    sink,
    delivery: {
      ...testDelivery(),
      operatorMail: {
        smtpHost: sink.host,
        smtpPort: sink.port,
        transportStrategy: 'SMTP',
        fromAddress: 'operator@otp-access.test',
      },
      publicUrl: 'http://console.test',
    },
  };
}

/** The invitation token from the mail the operator's server sent to `email`. */
export async function invitationTokenFor(sink: MailSink, email: string): Promise<string> {
  const mail = await sink.waitFor((m) => m.to.includes(email) && /invitation#/.test(m.text));
  return /invitation#([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
}
