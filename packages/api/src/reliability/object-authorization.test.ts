/**
 * OWASP API1, broken object-level authorization. Organization A's credentials (its all-permission
 * API key, its OWNER, ADMIN and VIEWER sessions, an OTP user's store session) call every tRPC
 * procedure and REST route that takes an id with the ids of organization B: its slug, store,
 * published application, OTP user, API key, members. Each answer must be the documented refusal
 * and read exactly like the answer for an id that does not exist, and the row checksums of both
 * organizations must not move. (access-matrix.test.ts covers the credential kinds on A's own ids.)
 */
import { randomBytes } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import { type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '@otp-access/validators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../errors';
import { createCaller } from '../root';
import { DEFAULT_CODE_POLICY, issueCode } from '../services/otp-codes';
import { deriveKey } from '../services/session';
import { STORE_SESSION_COOKIE, storeSubjectId } from '../services/store-access';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures } from '../testing/figures';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  sessionCookieFor,
  type TestOrganization,
  testDb,
  testHandlers,
  testKeyring,
  testLimits,
  testSession,
} from '../testing/fixtures';
import { CHECKSUMMED_TABLES, countRows, type RowChecksums, rowChecksums } from '../testing/row-checksums';
import { CLIENT_IP_HEADER, createTRPCContext } from '../trpc';

type Caller = ReturnType<typeof createCaller>;

/** The ids a call can name. `foreign` = organization B's; `missingIds()` = ids nobody has. */
interface Ids {
  slug: string;
  storeId: string;
  publishedApplicationId: string;
  otpUserId: string;
  apiKeyId: string;
  memberId: string;
  lockedMemberId: string;
}

const missingIds = (): Ids => ({
  slug: `missing-${randomBytes(5).toString('hex')}`,
  storeId: newObjectId(),
  publishedApplicationId: newObjectId(),
  otpUserId: newObjectId(),
  apiKeyId: newObjectId(),
  memberId: newObjectId(),
  lockedMemberId: newObjectId(),
});

let own: TestOrganization;
let other: TestOrganization;
let foreign: Ids;
/** An email that is an OTP user in both organizations, so a mix-up of stores would find a row. */
const sharedEmail = `shared-${randomBytes(4).toString('hex')}@authz.example`;
let ownCode: string;
/** Every id of B, to prove no answer to A ever carries one. */
let foreignValues: string[] = [];

const anyForeignValue = () =>
  new RegExp(foreignValues.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

const figures = { calls: 0, checksums: 0, rowsPerChecksum: 0 };
let baseline: RowChecksums;

const checksumBoth = async () => {
  figures.checksums++;
  return rowChecksums(testDb(), [own.id, other.id]);
};

/** Runs one call and proves that neither organization changed a single row. */
async function unchanged<T>(what: string, run: () => Promise<T>): Promise<T> {
  const result = await run();
  figures.calls++;
  const [before, after] = [baseline, await checksumBoth()];
  // A leak fails its own check only, not every later one.
  baseline = after;
  expect(after, `${what} changed no row of either organization`).toEqual(before);
  return result;
}

type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code: number; message: string; data?: unknown };

async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const { status, code, message, data } = describeError(error);
    return { ok: false, status, code, message, ...(data ? { data } : {}) };
  }
}

type Credential = { kind: 'apiKey' } | { kind: 'role'; role: Role };
const credentials: Credential[] = [
  { kind: 'apiKey' },
  ...ROLES.map((role) => ({ kind: 'role' as const, role })),
];
const label = (c: Credential) => (c.kind === 'apiKey' ? 'API key' : `${c.role} session`);
const holds = (c: Credential, permission: Permission) =>
  c.kind === 'apiKey' || ROLE_PERMISSIONS[c.role].includes(permission);

const NOT_FOUND = { ok: false, status: 404, code: 3001, message: 'Entity not found' } as const;
const FORBIDDEN = { ok: false, status: 403, code: 4003 } as const;
const EMPTY_PAGE = { ok: true, value: expect.objectContaining({ items: [], totalDocs: 0 }) } as const;

/**
 * `organization`: the call addresses B itself (space / path slug) with B's ids. `store`: A's space,
 * B's store. `object`: A's space and store, B's object.
 */
type Scope = 'organization' | 'store' | 'object';

type Expected = typeof NOT_FOUND | typeof FORBIDDEN | typeof EMPTY_PAGE;

/**
 * The documented answer. An API key addressing another organization gets 404 (DESIGN §3: keys are
 * bound to theirs). A session addressing a space it is not a member of gets 403, the documented
 * exception (an unknown space gets the same 403), so only there the answer differs from a missing id.
 * Inside A's space a permission check comes first (403 without it), then B's object is a 404.
 */
function expected(credential: Credential, scope: Scope, permission: Permission, held: Expected): Expected {
  if (scope === 'organization') return credential.kind === 'apiKey' ? NOT_FOUND : FORBIDDEN;
  return holds(credential, permission) ? held : FORBIDDEN;
}
const comparableToMissing = (credential: Credential, scope: Scope) =>
  !(scope === 'organization' && credential.kind === 'role');

function callerWith(credential: Credential, space: string): Promise<Caller> | Caller {
  return credential.kind === 'apiKey'
    ? callerFor(own.apiKey, { space })
    : callerAsUser(own.members[credential.role].userId, space);
}

const http = conformantRoutes(testHandlers());

async function send(request: Request) {
  const response = await http.route(request)!;
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Spring bodies carry the time and path of the answer; everything else must match. */
const withoutTimestamp = (body: Record<string, unknown> | null) => {
  if (!body) return body;
  const { timestamp: _timestamp, path: _path, ...rest } = body;
  return rest;
};

beforeAll(async () => {
  [own, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  const db = testDb();
  const ownKey = callerFor(own.apiKey);
  const otherKey = callerFor(other.apiKey);

  await ownKey.otpUser.create({
    storeId: own.storeId,
    data: { email: sharedEmail, publishedApplicationId: own.publishedApplicationId },
  });
  const [sharedUser] = await otherKey.otpUser.create({
    storeId: other.storeId,
    data: {
      email: sharedEmail,
      publishedApplicationId: other.publishedApplicationId,
      allowedDownloadsNum: 5,
    },
  });
  const onlyOtherEmail = `b-only-${randomBytes(4).toString('hex')}@authz.example`;
  const [onlyOther] = await otherKey.otpUser.create({
    storeId: other.storeId,
    data: { email: onlyOtherEmail, publishedApplicationId: other.otherPublishedApplicationId },
  });
  // B's rows in every table the checksums cover, so "unchanged" is about real rows.
  for (let i = 0; i < 3; i++) {
    await db.downloadEvent.create({ data: { id: newObjectId(), otpUserId: sharedUser!.id, at: new Date() } });
  }
  await db.otpUser.update({ where: { id: sharedUser!.id }, data: { downloadsCount: 3n } });
  await otherKey.otpSettings.upsertSmtp({
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: '127.0.0.1',
    smtpPort: 2525,
    transportStrategy: 'SMTP',
    fromAddress: 'b@authz.example',
  });
  await otherKey.otpSettings.upsertNetgsm({
    isDefault: true,
    type: 'SMS',
    provider: 'NETGSM',
    username: 'b',
    password: 'secret',
    header: 'B',
  });
  await db.deliveryLog.create({
    data: {
      id: newObjectId(),
      organizationId: other.id,
      type: 'MAIL',
      provider: 'DEFAULT',
      recipient: 'b***@authz.example',
      purpose: 'STORE_LOGIN',
      status: 'SENT',
      durationMs: 12,
    },
  });
  const codeKey = deriveKey(testSession, 'otp-code');
  await issueCode(db, codeKey, {
    purpose: 'STORE_LOGIN',
    subjectId: storeSubjectId(other.storeId, onlyOtherEmail),
    policy: DEFAULT_CODE_POLICY,
    now: new Date(),
  });
  ownCode = (
    await issueCode(db, codeKey, {
      purpose: 'STORE_LOGIN',
      subjectId: storeSubjectId(own.storeId, sharedEmail),
      policy: DEFAULT_CODE_POLICY,
      now: new Date(),
    })
  ).code;
  const { apiKey: otherApiKey } = await otherKey.apiKey.create({
    name: 'B integration',
    permissions: ['mad.store.otpUsers.list'],
  });
  // A locked member: unlocking them would visibly reset the lock.
  await db.adminUser.update({
    where: { id: other.members.VIEWER.userId },
    data: { failedLogins: 5, lockedUntil: new Date(Date.now() + 3_600_000) },
  });

  foreign = {
    slug: other.slug,
    storeId: other.storeId,
    publishedApplicationId: other.publishedApplicationId,
    otpUserId: sharedUser!.id,
    apiKeyId: otherApiKey.id,
    memberId: other.members.ADMIN.userId,
    lockedMemberId: other.members.VIEWER.userId,
  };
  const settings = await db.deliverySetting.findMany({ where: { organizationId: other.id } });
  const logs = await db.deliveryLog.findMany({ where: { organizationId: other.id } });
  foreignValues = [
    other.id,
    other.slug,
    other.storeId,
    other.publishedApplicationId,
    other.otherPublishedApplicationId,
    sharedUser!.id,
    onlyOther!.id,
    onlyOtherEmail,
    otherApiKey.id,
    ...Object.values(other.members).flatMap((m) => [m.userId, m.email]),
    ...settings.map((s) => s.id),
    ...logs.map((l) => l.id),
  ];

  baseline = await checksumBoth();
  figures.rowsPerChecksum = countRows(baseline);
  // Every covered table has rows of the two organizations: a checksum over nothing proves nothing.
  for (const table of CHECKSUMMED_TABLES) expect(baseline[table]!.rows, table).toBeGreaterThan(0);
});

afterAll(() => {
  recordFigures('object-authorization', {
    'calls with foreign or missing ids': figures.calls,
    'credential kinds': credentials.length + 1,
    'row checksums taken': figures.checksums,
    'tables checksummed': CHECKSUMMED_TABLES.length,
    'rows per checksum': figures.rowsPerChecksum,
  });
});

interface TrpcCase {
  name: string;
  permission: Permission;
  /** What a caller holding the permission gets for B's object in A's space. */
  held?: Expected;
  /** A's own store, or the store of `ids`. */
  store: 'own' | 'ids';
  call: (caller: Caller, ids: Ids, storeId: string) => Promise<unknown>;
}

const freshEmail = () => `${newObjectId()}@authz.example`;

const trpcCases: TrpcCase[] = [
  {
    name: 'apiKey.revoke',
    permission: 'org.apiKeys.manage',
    store: 'own',
    call: (c, ids) => c.apiKey.revoke({ id: ids.apiKeyId }),
  },
  {
    name: 'member.changeRole',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.changeRole({ userId: ids.lockedMemberId, role: 'OWNER' }),
  },
  {
    name: 'member.remove',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.remove({ userId: ids.memberId }),
  },
  {
    name: 'member.unlock',
    permission: 'org.members.manage',
    store: 'own',
    call: (c, ids) => c.member.unlock({ userId: ids.lockedMemberId }),
  },
  ...(['own', 'ids'] as const).flatMap((store): TrpcCase[] => [
    {
      name: `otpUser.byId (${store} store)`,
      permission: 'mad.store.otpUsers.get',
      store,
      call: (c, ids, storeId) => c.otpUser.byId({ storeId, otpUserId: ids.otpUserId }),
    },
    {
      name: `otpUser.downloads (${store} store)`,
      permission: 'mad.store.otpUsers.get',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.downloads({ storeId, otpUserId: ids.otpUserId, page: 1, limit: 5 }),
    },
    {
      name: `otpUser.update (${store} store)`,
      permission: 'mad.store.otpUsers.update',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.update({ storeId, otpUserId: ids.otpUserId, data: { allowedDownloadsNum: 999 } }),
    },
    {
      name: `otpUser.delete (${store} store)`,
      permission: 'mad.store.otpUsers.remove',
      store,
      call: (c, ids, storeId) => c.otpUser.delete({ storeId, otpUserId: ids.otpUserId }),
    },
    {
      name: `otpUser.create with B's published application (${store} store)`,
      permission: 'mad.store.otpUsers.create',
      store,
      call: (c, ids, storeId) =>
        c.otpUser.create({
          storeId,
          data: { email: freshEmail(), publishedApplicationId: ids.publishedApplicationId },
        }),
    },
  ]),
  {
    name: 'otpUser.list (B store)',
    permission: 'mad.store.otpUsers.list',
    store: 'ids',
    call: (c, _ids, storeId) => c.otpUser.list({ storeId, page: 1, limit: 5 }),
  },
  {
    name: "otpUser.list filtered by B's published application",
    permission: 'mad.store.otpUsers.list',
    // A filter, not an address: the list of A's store, with nothing matching.
    held: EMPTY_PAGE,
    store: 'own',
    call: (c, ids, storeId) =>
      c.otpUser.list({ storeId, publishedApplicationId: ids.publishedApplicationId, page: 1, limit: 5 }),
  },
  {
    name: 'publishedApplication.list (B store)',
    permission: 'mad.store.otpUsers.list',
    store: 'ids',
    call: (c, _ids, storeId) => c.publishedApplication.list({ storeId, page: 1, limit: 5 }),
  },
];

describe('object-level authorization: tRPC procedures', () => {
  for (const op of trpcCases) {
    it(op.name, async () => {
      for (const credential of credentials) {
        for (const scope of ['organization', op.store === 'ids' ? 'store' : 'object'] as const) {
          const what = `${op.name} as ${label(credential)}, ${scope} of B`;
          const missing = missingIds();
          const spaceOf = (ids: Ids) => (scope === 'organization' ? ids.slug : own.slug);
          const storeOf = (ids: Ids) =>
            op.store === 'ids' || scope === 'organization' ? ids.storeId : own.storeId;
          const [foreignCaller, missingCaller] = await Promise.all([
            callerWith(credential, spaceOf(foreign)),
            callerWith(credential, spaceOf(missing)),
          ]);
          const got = await unchanged(what, () =>
            outcomeOf(() => op.call(foreignCaller, foreign, storeOf(foreign))),
          );
          const forMissing = await unchanged(what, () =>
            outcomeOf(() => op.call(missingCaller, missing, storeOf(missing))),
          );
          expect(got, what).toMatchObject(expected(credential, scope, op.permission, op.held ?? NOT_FOUND));
          if (comparableToMissing(credential, scope)) {
            expect(got, `${what}: reads exactly like a missing id`).toEqual(forMissing);
          }
          expect(JSON.stringify(got), `${what}: no id of B in the answer`).not.toMatch(anyForeignValue());
        }
      }
    });
  }
});

interface RestCase {
  name: string;
  permission: Permission;
  scopes: readonly Scope[];
  /** What a caller holding the permission gets in that scope (default 404). */
  held?: Partial<Record<Scope, 'emptyPage'>>;
  request: (slug: string, storeId: string, ids: Ids) => { method: string; path: string; body?: unknown };
}

const ALL_SCOPES = ['organization', 'store', 'object'] as const;
const otpUsers = (slug: string, storeId: string) => `/v1/organizations/${slug}/stores/${storeId}/otp-users`;

const restCases: RestCase[] = [
  {
    name: 'GET /v1/organizations/{slug}/stores',
    permission: 'mad.store.otpUsers.list',
    scopes: ['organization'],
    request: (slug) => ({ method: 'GET', path: `/v1/organizations/${slug}/stores` }),
  },
  {
    name: 'GET published-applications',
    permission: 'mad.store.otpUsers.list',
    scopes: ['organization', 'store'],
    request: (slug, storeId) => ({
      method: 'GET',
      path: `/v1/organizations/${slug}/stores/${storeId}/published-applications`,
    }),
  },
  {
    name: 'GET otp-users',
    permission: 'mad.store.otpUsers.list',
    scopes: ALL_SCOPES,
    held: { object: 'emptyPage' },
    request: (slug, storeId, ids) => ({
      method: 'GET',
      path: `${otpUsers(slug, storeId)}?publishedApplicationId=${ids.publishedApplicationId}`,
    }),
  },
  {
    name: 'POST otp-users',
    permission: 'mad.store.otpUsers.create',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'POST',
      path: otpUsers(slug, storeId),
      body: { email: freshEmail(), publishedApplicationId: ids.publishedApplicationId },
    }),
  },
  {
    name: 'GET otp-user',
    permission: 'mad.store.otpUsers.get',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({ method: 'GET', path: `${otpUsers(slug, storeId)}/${ids.otpUserId}` }),
  },
  {
    name: 'PUT otp-user',
    permission: 'mad.store.otpUsers.update',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'PUT',
      path: `${otpUsers(slug, storeId)}/${ids.otpUserId}`,
      body: { allowedDownloadsNum: 999 },
    }),
  },
  {
    name: 'DELETE otp-user',
    permission: 'mad.store.otpUsers.remove',
    scopes: ALL_SCOPES,
    request: (slug, storeId, ids) => ({
      method: 'DELETE',
      path: `${otpUsers(slug, storeId)}/${ids.otpUserId}`,
    }),
  },
];

async function credentialHeaders(credential: Credential): Promise<Headers> {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (credential.kind === 'apiKey') headers.set('authorization', `Bearer ${own.apiKey}`);
  else headers.set('cookie', await sessionCookieFor(own.members[credential.role].userId));
  return headers;
}

function restExpected(credential: Credential, scope: Scope, op: RestCase) {
  const want = expected(
    credential,
    scope,
    op.permission,
    op.held?.[scope] === 'emptyPage' ? EMPTY_PAGE : NOT_FOUND,
  );
  if (want.ok) {
    return {
      status: 200,
      body: { status: true, data: expect.objectContaining({ items: [], totalDocs: 0 }) },
    };
  }
  return {
    status: want.status,
    body: { status: false, error: expect.objectContaining({ code: want.code }) },
  };
}

describe('object-level authorization: Applivery REST routes', () => {
  for (const op of restCases) {
    it(op.name, async () => {
      for (const credential of credentials) {
        const headers = await credentialHeaders(credential);
        for (const scope of op.scopes) {
          const what = `${op.name} as ${label(credential)}, ${scope} of B`;
          const call = (ids: Ids) => {
            const slug = scope === 'organization' ? ids.slug : own.slug;
            const storeId = scope === 'object' ? own.storeId : ids.storeId;
            const { method, path, body } = op.request(slug, storeId, ids);
            return send(
              new Request(`http://localhost${path}`, {
                method,
                headers,
                ...(body ? { body: JSON.stringify(body) } : {}),
              }),
            );
          };
          const got = await unchanged(what, () => call(foreign));
          const forMissing = await unchanged(what, () => call(missingIds()));
          expect(got, what).toMatchObject(restExpected(credential, scope, op));
          if (comparableToMissing(credential, scope)) {
            expect(got, `${what}: reads exactly like a missing id`).toEqual(forMissing);
          }
        }
      }
    });
  }
});

const settingsBodies: Record<string, unknown> = {
  '/api/otp/settings/sms/twilio': {
    isDefault: true,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'a'.repeat(32)}`,
    authToken: 'taken-over',
    twilioNumber: '+15005550006',
  },
  '/api/otp/settings/sms/netgsm': {
    isDefault: true,
    type: 'SMS',
    provider: 'NETGSM',
    username: 'attacker',
    password: 'taken-over',
    header: 'EVIL',
  },
  '/api/otp/settings/sms/dataport': {
    isDefault: true,
    type: 'SMS',
    provider: 'DATAPORT',
    username: 'attacker',
    password: 'taken-over',
    accountNumber: '1',
    originator: 'EVIL',
  },
  '/api/otp/settings/mail/default': {
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: 'smtp.attacker.example',
    smtpPort: 25,
    transportStrategy: 'SMTP',
    fromAddress: 'evil@attacker.example',
  },
  '/api/otp/settings/test': { type: 'MAIL', to: 'evil@attacker.example' },
};

describe('object-level authorization: OTP settings REST routes (X-Space of B)', () => {
  const routes = [
    { method: 'GET', path: '/api/otp/settings' },
    ...Object.keys(settingsBodies).map((path) => ({ method: path.endsWith('/test') ? 'POST' : 'PUT', path })),
  ];
  for (const { method, path } of routes) {
    it(`${method} ${path}`, async () => {
      for (const credential of credentials) {
        const what = `${method} ${path} as ${label(credential)} in B's space`;
        const call = async (slug: string) => {
          const headers = await credentialHeaders(credential);
          headers.set('x-space', slug);
          const body = settingsBodies[path];
          return send(
            new Request(`http://localhost${path}`, {
              method,
              headers,
              ...(body ? { body: JSON.stringify(body) } : {}),
            }),
          );
        };
        const got = await unchanged(what, () => call(foreign.slug));
        const forMissing = await unchanged(what, () => call(missingIds().slug));
        const want = expected(credential, 'organization', 'otp.settings.read', NOT_FOUND);
        const status = want.ok ? 200 : want.status;
        expect({ status: got.status, bodyStatus: got.body?.status }, what).toEqual({
          status,
          bodyStatus: status,
        });
        if (comparableToMissing(credential, 'organization')) {
          expect(withoutTimestamp(got.body), `${what}: reads exactly like a missing space`).toEqual(
            withoutTimestamp(forMissing.body),
          );
        }
      }
    });
  }
});

/** A caller as an OTP user's browser: no admin credentials, its own client address. */
function storeCaller(cookie?: string, resHeaders = new Headers()) {
  const headers = new Headers({ [CLIENT_IP_HEADER]: `2001:db8::${randomBytes(4).toString('hex')}` });
  if (cookie) headers.set('cookie', cookie);
  return createCaller(
    createTRPCContext({
      db: testDb(),
      session: testSession,
      keyring: testKeyring,
      limits: testLimits(),
      headers,
      resHeaders,
    }),
  );
}

describe('object-level authorization: store sign-in and downloads', () => {
  let storeCookie: string;

  it("a code of A's store does not open B's store for the same email", async () => {
    const what = "verifyCode in B's store with A's code";
    const got = await unchanged(what, () =>
      outcomeOf(() =>
        storeCaller().storeAccess.verifyCode({ storeId: foreign.storeId, email: sharedEmail, code: ownCode }),
      ),
    );
    const forMissing = await unchanged(what, () =>
      outcomeOf(() =>
        storeCaller().storeAccess.verifyCode({
          storeId: missingIds().storeId,
          email: sharedEmail,
          code: ownCode,
        }),
      ),
    );
    expect(got).toEqual({ ok: false, status: 401, code: 4001, message: 'Invalid or expired code' });
    expect(got).toEqual(forMissing);

    // The refused try neither used up nor spent a try of A's code: it still signs in, in A's store.
    const resHeaders = new Headers();
    await storeCaller(undefined, resHeaders).storeAccess.verifyCode({
      storeId: own.storeId,
      email: sharedEmail,
      code: ownCode,
    });
    const cookie = resHeaders.getSetCookie().find((c) => c.startsWith(`${STORE_SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    storeCookie = cookie!.split(';')[0]!;
    baseline = await checksumBoth();
  });

  it("a store session of A lists only A's apps", async () => {
    const apps = await unchanged('storeAccess.apps', () => storeCaller(storeCookie).storeAccess.apps());
    expect(apps.store.id).toBe(own.storeId);
    expect(apps.apps.map((a) => a.publishedApplicationId)).toEqual([own.publishedApplicationId]);
    expect(JSON.stringify(apps)).not.toMatch(anyForeignValue());
  });

  it("requesting a code in B's store for an email only A has issues nothing", async () => {
    const onlyOwnEmail = freshEmail();
    await callerFor(own.apiKey).otpUser.create({
      storeId: own.storeId,
      data: { email: onlyOwnEmail, publishedApplicationId: own.publishedApplicationId },
    });
    baseline = await checksumBoth();
    // The store page is public (storeAccess.store names it), so the answer is the usual "sent".
    const got = await unchanged("requestCode in B's store", () =>
      storeCaller().storeAccess.requestCode({ storeId: foreign.storeId, email: onlyOwnEmail }),
    );
    expect(got.status).toBe('sent');
  });

  it("downloads with A's store session never reach B's published applications", async () => {
    const download = (storeId: string, publishedApplicationId: string) =>
      send(
        new Request(`http://localhost/api/store/${storeId}/apps/${publishedApplicationId}/download`, {
          headers: { cookie: storeCookie, 'sec-fetch-site': 'same-origin' },
        }),
      );
    const variants: { name: string; ids: (ids: Ids) => [string, string] }[] = [
      { name: "A's store, B's app", ids: (ids) => [own.storeId, ids.publishedApplicationId] },
      { name: "B's store, B's app", ids: (ids) => [ids.storeId, ids.publishedApplicationId] },
      { name: "B's store, A's app", ids: (ids) => [ids.storeId, own.publishedApplicationId] },
    ];
    for (const variant of variants) {
      const what = `download: ${variant.name}`;
      const got = await unchanged(what, () => download(...variant.ids(foreign)));
      const forMissing = await unchanged(what, () => download(...variant.ids(missingIds())));
      expect(got.status, what).toBe(404);
      expect(got.body, what).toMatchObject({ status: 404, message: 'Entity not found' });
      expect(withoutTimestamp(got.body), `${what}: reads exactly like a missing id`).toEqual(
        withoutTimestamp(forMissing.body),
      );
    }
  });
});

describe('object-level authorization: lists of A never show B', () => {
  it("every list of A's space, under every credential", async () => {
    for (const credential of credentials) {
      const caller = await callerWith(credential, own.slug);
      const lists: [string, Permission, () => Promise<unknown>][] = [
        ['store.list', 'mad.store.otpUsers.list', () => caller.store.list({ page: 1, limit: 100 })],
        [
          'publishedApplication.list',
          'mad.store.otpUsers.list',
          () => caller.publishedApplication.list({ storeId: own.storeId, page: 1, limit: 100 }),
        ],
        [
          'otpUser.list',
          'mad.store.otpUsers.list',
          () =>
            caller.otpUser.list({
              storeId: own.storeId,
              email: sharedEmail.slice(0, 12),
              page: 1,
              limit: 100,
            }),
        ],
        ['apiKey.list', 'org.apiKeys.manage', () => caller.apiKey.list()],
        ['member.list', 'org.members.read', () => caller.member.list()],
        ['audit.list', 'org.audit.read', () => caller.audit.list({ page: 1, limit: 100 })],
        ['deliveryLog.list', 'otp.settings.read', () => caller.deliveryLog.list({ page: 1, limit: 100 })],
        ['otpSettings.list', 'otp.settings.read', () => caller.otpSettings.list()],
      ];
      for (const [name, permission, list] of lists) {
        const what = `${name} as ${label(credential)}`;
        const got = await unchanged(what, () => outcomeOf(list));
        expect(got.ok, what).toBe(holds(credential, permission));
        expect(JSON.stringify(got), what).not.toMatch(anyForeignValue());
      }
    }
  });
});
