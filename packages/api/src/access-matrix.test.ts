/**
 * Every tRPC procedure and every REST route, called with every kind of credential: no auth, a
 * revoked key, a key without the permission, a key of another organization, a member of another
 * organization, and each role. Checks the answer and that a refused call changed nothing.
 */
import { newObjectId } from '@otp-access/db';
import { PERMISSIONS, type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '@otp-access/validators';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailSink, startMailSink } from './delivery/mail-sink';
import { describeError } from './errors';
import { createAppliveryHandler } from './rest/applivery';
import type { createCaller } from './root';
import { DEFAULT_DELIVERY_CONFIG } from './services/delivery';
import { conformant, conformantRoutes } from './testing/conformance';
import {
  callerAsUser,
  callerFor,
  createTestMember,
  createTestOrganization,
  dataportSettingBody,
  netgsmSettingBody,
  publishInlineBuild,
  sessionCookieFor,
  sinkMailSetting,
  snapshotOrganization,
  type TestOrganization,
  testDb,
  testHandlers,
  testSession,
  twilioSettingBody,
} from './testing/fixtures';

type Caller = ReturnType<typeof createCaller>;
type Ids = Record<string, string>;

let org: TestOrganization;
let other: TestOrganization;
let sink: MailSink;

beforeAll(async () => {
  [org, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  sink = await startMailSink();
  await callerFor(org.apiKey).otpSettings.upsertSmtp(smtpSetting());
});

afterAll(async () => {
  await sink.stop();
});

const smtpSetting = () => sinkMailSetting(sink.port, 'matrix@test.example');
const twilioSetting = twilioSettingBody();
const netgsmSetting = netgsmSettingBody();
const dataportSetting = dataportSettingBody();

async function newOtpUser(o: TestOrganization): Promise<string> {
  const [user] = await callerFor(o.apiKey).otpUser.create({
    storeId: o.storeId,
    data: { email: `${newObjectId()}@matrix.example`, publishedApplicationId: o.publishedApplicationId },
  });
  return user!.id;
}

/** A new build of the first application, published (the one before it no longer is). */
function newBuild(o: TestOrganization): Promise<string> {
  return publishInlineBuild(testDb(), o.id, o.publishedApplicationId, new Uint8Array([4, 5, 6]));
}

async function newStore(o: TestOrganization): Promise<string> {
  return (await callerFor(o.apiKey).store.create({ data: { name: `matrix ${newObjectId()}` } })).id;
}

async function newInvitation(o: TestOrganization): Promise<string> {
  const row = await testDb().invitation.create({
    data: {
      id: newObjectId(),
      organizationId: o.id,
      email: `${newObjectId()}@matrix.example`,
      role: 'VIEWER',
      tokenHash: newObjectId(),
      invitedBy: 'matrix',
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  return row.id;
}

async function newMember(o: TestOrganization): Promise<string> {
  return (await createTestMember(o, 'VIEWER')).userId;
}

interface Operation {
  name: string;
  /** `user` = only for a signed-in admin, whatever their roles. */
  permission: Permission | 'user';
  /** What a caller holding the permission gets, when not success (it must get past the checks). */
  allowed?: { status: number; code: number };
  prepare?: (o: TestOrganization) => Promise<Ids>;
  call: (caller: Caller, o: TestOrganization, ids: Ids) => Promise<unknown>;
}

// One entry per procedure, written out: the table is the matrix a reader checks.
// One entry per procedure on purpose: each reads as the case it checks, alike in shape only.
const operations: Operation[] = [
  { name: 'auth.me', permission: 'user', call: (c) => c.auth.me() },
  { name: 'auth.switchSpace', permission: 'user', call: (c, o) => c.auth.switchSpace({ slug: o.slug }) },
  { name: 'auth.setTwoFactor', permission: 'user', call: (c) => c.auth.setTwoFactor({ otpType: 'NONE' }) },
  { name: 'apiKey.list', permission: 'org.apiKeys.manage', call: (c) => c.apiKey.list() },
  {
    name: 'apiKey.create',
    permission: 'org.apiKeys.manage',
    call: (c) => c.apiKey.create({ name: 'matrix', permissions: ['mad.store.otpUsers.list'] }),
  },
  {
    name: 'apiKey.revoke',
    permission: 'org.apiKeys.manage',
    prepare: async (o) => ({
      key: (await callerFor(o.apiKey).apiKey.create({ name: 'x', permissions: ['org.audit.read'] })).apiKey
        .id,
    }),
    call: (c, _o, ids) => c.apiKey.revoke({ id: ids.key! }),
  },
  { name: 'member.list', permission: 'org.members.read', call: (c) => c.member.list() },
  {
    name: 'member.invite',
    permission: 'org.members.manage',
    call: (c) => c.member.invite({ email: `${newObjectId()}@matrix.example`, role: 'VIEWER' }),
  },
  { name: 'member.invitations', permission: 'org.members.read', call: (c) => c.member.invitations() },
  {
    name: 'member.revokeInvitation',
    permission: 'org.members.manage',
    prepare: async (o) => ({ invitation: await newInvitation(o) }),
    call: (c, _o, ids) => c.member.revokeInvitation({ id: ids.invitation! }),
  },
  { name: 'account.sessions', permission: 'user', call: (c) => c.account.sessions() },
  { name: 'account.invitations', permission: 'user', call: (c) => c.account.invitations() },
  {
    name: 'member.changeRole',
    permission: 'org.members.manage',
    prepare: async (o) => ({ user: await newMember(o) }),
    call: (c, _o, ids) => c.member.changeRole({ userId: ids.user!, role: 'ADMIN' }),
  },
  {
    name: 'member.remove',
    permission: 'org.members.manage',
    prepare: async (o) => ({ user: await newMember(o) }),
    call: (c, _o, ids) => c.member.remove({ userId: ids.user! }),
  },
  {
    name: 'member.unlock',
    permission: 'org.members.manage',
    prepare: async (o) => ({ user: await newMember(o) }),
    call: (c, _o, ids) => c.member.unlock({ userId: ids.user! }),
  },
  { name: 'audit.list', permission: 'org.audit.read', call: (c) => c.audit.list({ page: 1, limit: 5 }) },
  { name: 'otpSettings.list', permission: 'otp.settings.read', call: (c) => c.otpSettings.list() },
  {
    name: 'otpSettings.upsertTwilio',
    permission: 'otp.settings.update',
    call: (c) => c.otpSettings.upsertTwilio(twilioSetting),
  },
  {
    name: 'otpSettings.upsertNetgsm',
    permission: 'otp.settings.update',
    call: (c) => c.otpSettings.upsertNetgsm(netgsmSetting),
  },
  {
    name: 'otpSettings.upsertDataport',
    permission: 'otp.settings.update',
    call: (c) => c.otpSettings.upsertDataport(dataportSetting),
  },
  {
    name: 'otpSettings.upsertSmtp',
    permission: 'otp.settings.update',
    call: (c) => c.otpSettings.upsertSmtp(smtpSetting()),
  },
  {
    name: 'otpSettings.setDefault',
    permission: 'otp.settings.update',
    prepare: async (o) => {
      await callerFor(o.apiKey).otpSettings.upsertNetgsm(netgsmSetting);
      return {};
    },
    call: (c) => c.otpSettings.setDefault({ type: 'SMS', provider: 'NETGSM' }),
  },
  {
    name: 'otpSettings.remove',
    permission: 'otp.settings.update',
    prepare: async (o) => {
      await callerFor(o.apiKey).otpSettings.upsertDataport(dataportSetting);
      return {};
    },
    call: (c) => c.otpSettings.remove({ type: 'SMS', provider: 'DATAPORT' }),
  },
  {
    name: 'otpSettings.test',
    permission: 'otp.settings.test',
    call: (c) => c.otpSettings.test({ type: 'MAIL', to: 'matrix@test.example' }),
  },
  {
    name: 'deliveryLog.list',
    permission: 'otp.settings.read',
    call: (c) => c.deliveryLog.list({ page: 1, limit: 5 }),
  },
  {
    name: 'overview.get',
    permission: 'otp.settings.read',
    call: (c) => c.overview.get({ days: 7 }),
  },
  {
    name: 'store.list',
    permission: 'mad.store.otpUsers.list',
    call: (c) => c.store.list({ page: 1, limit: 5 }),
  },
  {
    name: 'store.create',
    permission: 'mad.store.manage',
    call: (c) => c.store.create({ data: { name: 'matrix store' } }),
  },
  {
    name: 'store.update',
    permission: 'mad.store.manage',
    prepare: async (o) => ({ store: await newStore(o) }),
    call: (c, _o, ids) => c.store.update({ storeId: ids.store!, data: { name: 'renamed' } }),
  },
  {
    name: 'store.delete',
    permission: 'mad.store.manage',
    prepare: async (o) => ({ store: await newStore(o) }),
    call: (c, _o, ids) => c.store.delete({ storeId: ids.store! }),
  },
  { name: 'organization.get', permission: 'otp.settings.read', call: (c) => c.organization.get() },
  {
    name: 'organization.rename',
    permission: 'org.settings.manage',
    call: (c) => c.organization.rename({ name: `Matrix ${newObjectId()}` }),
  },
  {
    name: 'organization.updateOtpPolicy',
    permission: 'org.settings.manage',
    call: (c) =>
      c.organization.updateOtpPolicy({
        codeLength: 7,
        codeTtlMinutes: 10,
        mailSubject: null,
        mailBody: null,
        smsText: null,
      }),
  },
  {
    name: 'organization.previewMessages',
    permission: 'otp.settings.read',
    call: (c) => c.organization.previewMessages(),
  },
  {
    name: 'organization.testMessage',
    permission: 'otp.settings.test',
    call: (c) => c.organization.testMessage({ type: 'MAIL', to: 'matrix@test.example' }),
  },
  {
    // The organization must outlive the matrix: an owner gets as far as the name check.
    name: 'organization.delete',
    permission: 'org.delete',
    allowed: { status: 400, code: 6001 },
    call: (c) => c.organization.delete({ confirmName: 'not the name' }),
  },
  {
    name: 'publishedApplication.list',
    permission: 'mad.store.otpUsers.list',
    call: (c, o) => c.publishedApplication.list({ storeId: o.storeId, page: 1, limit: 5 }),
  },
  {
    name: 'publishedApplication.create',
    permission: 'mad.publications.manage',
    call: (c, o) => c.publishedApplication.create({ storeId: o.storeId, data: { name: 'Matrix App' } }),
  },
  {
    name: 'build.list',
    permission: 'mad.store.otpUsers.list',
    call: (c, o) => c.build.list({ storeId: o.storeId, publishedApplicationId: o.publishedApplicationId }),
  },
  {
    name: 'build.publish',
    permission: 'mad.publications.manage',
    prepare: async (o) => ({ build: await newBuild(o) }),
    call: (c, o, ids) =>
      c.build.publish({
        storeId: o.storeId,
        publishedApplicationId: o.publishedApplicationId,
        data: { buildId: ids.build! },
      }),
  },
  {
    name: 'build.delete',
    permission: 'mad.publications.manage',
    prepare: async (o) => {
      const unpublished = await newBuild(o);
      await newBuild(o);
      return { build: unpublished };
    },
    call: (c, o, ids) =>
      c.build.delete({
        storeId: o.storeId,
        publishedApplicationId: o.publishedApplicationId,
        buildId: ids.build!,
      }),
  },
  {
    name: 'otpUser.list',
    permission: 'mad.store.otpUsers.list',
    call: (c, o) => c.otpUser.list({ storeId: o.storeId, page: 1, limit: 5 }),
  },
  {
    name: 'otpUser.byId',
    permission: 'mad.store.otpUsers.get',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    call: (c, o, ids) => c.otpUser.byId({ storeId: o.storeId, otpUserId: ids.user! }),
  },
  {
    name: 'otpUser.downloads',
    permission: 'mad.store.otpUsers.get',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    call: (c, o, ids) => c.otpUser.downloads({ storeId: o.storeId, otpUserId: ids.user!, page: 1, limit: 5 }),
  },
  {
    name: 'otpUser.create',
    permission: 'mad.store.otpUsers.create',
    call: (c, o) =>
      c.otpUser.create({
        storeId: o.storeId,
        data: { email: `${newObjectId()}@matrix.example`, publishedApplicationId: o.publishedApplicationId },
      }),
  },
  {
    name: 'otpUser.update',
    permission: 'mad.store.otpUsers.update',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    call: (c, o, ids) =>
      c.otpUser.update({ storeId: o.storeId, otpUserId: ids.user!, data: { allowedDownloadsNum: 3 } }),
  },
  {
    name: 'otpUser.delete',
    permission: 'mad.store.otpUsers.remove',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    call: (c, o, ids) => c.otpUser.delete({ storeId: o.storeId, otpUserId: ids.user! }),
  },
];

type Credential =
  | { kind: 'none' }
  | { kind: 'revokedKey' }
  | { kind: 'keyWithoutPermission' }
  | { kind: 'otherOrganizationKey' }
  | { kind: 'otherOrganizationMember' }
  | { kind: 'role'; role: Role };

const credentials: Credential[] = [
  { kind: 'none' },
  { kind: 'revokedKey' },
  { kind: 'keyWithoutPermission' },
  { kind: 'otherOrganizationKey' },
  { kind: 'otherOrganizationMember' },
  ...ROLES.map((role) => ({ kind: 'role' as const, role })),
];

const label = (c: Credential) => (c.kind === 'role' ? c.role : c.kind);

/** A permission other than `permission`, so the key is valid but not enough. */
function unrelatedPermission(permission: Permission | 'user'): Permission {
  return PERMISSIONS.find((p) => p !== permission)!;
}

/** The status and code a credential must get, or `ok`. */
function expected(op: Operation, credential: Credential): 'ok' | { status: number; code: number } {
  switch (credential.kind) {
    case 'none':
      return { status: 401, code: 4002 };
    case 'revokedKey':
      return { status: 401, code: 4004 };
    case 'keyWithoutPermission':
      return { status: 403, code: 4003 };
    case 'otherOrganizationKey':
      return op.permission === 'user' ? { status: 403, code: 4003 } : { status: 404, code: 3001 };
    case 'otherOrganizationMember':
      // Their own account is theirs to see and change; a space they are not a member of is 403.
      return op.permission === 'user' && op.name !== 'auth.switchSpace' ? 'ok' : { status: 403, code: 4003 };
    case 'role':
      return op.permission === 'user' || ROLE_PERMISSIONS[credential.role].includes(op.permission)
        ? (op.allowed ?? 'ok')
        : { status: 403, code: 4003 };
  }
}

async function callerWith(credential: Credential, op: Operation): Promise<Caller> {
  // Invitations are mailed by the installation's own mail server.
  const delivery = operatorDelivery();
  switch (credential.kind) {
    case 'none':
      return callerFor(null, { delivery });
    case 'revokedKey':
      return callerFor(await org.createApiKey(PERMISSIONS, { revoked: true }), { delivery });
    case 'keyWithoutPermission':
      return callerFor(await org.createApiKey([unrelatedPermission(op.permission)]), { delivery });
    case 'otherOrganizationKey':
      return callerFor(other.apiKey, { space: org.slug, delivery });
    case 'otherOrganizationMember':
      return callerAsUser(other.members.OWNER.userId, org.slug, { delivery });
    case 'role':
      return callerAsUser(org.members[credential.role].userId, org.slug, { delivery });
  }
}

const operatorDelivery = () => ({
  ...DEFAULT_DELIVERY_CONFIG,
  operatorMail: {
    smtpHost: sink.host,
    smtpPort: sink.port,
    transportStrategy: 'SMTP' as const,
    fromAddress: 'operator@test.example',
  },
});

const snapshot = () =>
  Promise.all([snapshotOrganization(testDb(), org.id), snapshotOrganization(testDb(), other.id)]);

describe('access matrix: tRPC procedures', () => {
  for (const op of operations) {
    it(`${op.name} (${op.permission})`, async () => {
      for (const credential of credentials) {
        const ids = (await op.prepare?.(org)) ?? {};
        const caller = await callerWith(credential, op);
        const want = expected(op, credential);
        const before = await snapshot();
        const outcome = await op.call(caller, org, ids).then(
          () => 'ok' as const,
          (error: unknown) => error,
        );
        if (want === 'ok') {
          expect(outcome, `${op.name} as ${label(credential)}`).toBe('ok');
          continue;
        }
        expect(outcome, `${op.name} as ${label(credential)}`).toBeInstanceOf(TRPCError);
        const described = describeError(outcome);
        expect(
          { status: described.status, code: described.code },
          `${op.name} as ${label(credential)}`,
        ).toEqual(want);
        expect(await snapshot(), `${op.name} as ${label(credential)} changed nothing`).toEqual(before);
      }
    });
  }
});

const applivery = conformant(createAppliveryHandler({ db: testDb(), session: testSession }));

interface RestOperation {
  name: string;
  permission: Permission;
  prepare?: (o: TestOrganization) => Promise<Ids>;
  request: (o: TestOrganization, ids: Ids) => { method: string; path: string; body?: unknown };
}

const users = (o: TestOrganization) => `/v1/organizations/${o.slug}/stores/${o.storeId}/otp-users`;

const restOperations: RestOperation[] = [
  {
    name: 'GET stores',
    permission: 'mad.store.otpUsers.list',
    request: (o) => ({ method: 'GET', path: `/v1/organizations/${o.slug}/stores` }),
  },
  {
    name: 'POST stores',
    permission: 'mad.store.manage',
    request: (o) => ({
      method: 'POST',
      path: `/v1/organizations/${o.slug}/stores`,
      body: { name: 'matrix' },
    }),
  },
  {
    name: 'PUT store',
    permission: 'mad.store.manage',
    prepare: async (o) => ({ store: await newStore(o) }),
    request: (o, ids) => ({
      method: 'PUT',
      path: `/v1/organizations/${o.slug}/stores/${ids.store}`,
      body: { description: 'matrix' },
    }),
  },
  {
    name: 'DELETE store',
    permission: 'mad.store.manage',
    prepare: async (o) => ({ store: await newStore(o) }),
    request: (o, ids) => ({ method: 'DELETE', path: `/v1/organizations/${o.slug}/stores/${ids.store}` }),
  },
  {
    name: 'GET published-applications',
    permission: 'mad.store.otpUsers.list',
    request: (o) => ({
      method: 'GET',
      path: `/v1/organizations/${o.slug}/stores/${o.storeId}/published-applications`,
    }),
  },
  {
    name: 'POST published-applications',
    permission: 'mad.publications.manage',
    request: (o) => ({
      method: 'POST',
      path: `/v1/organizations/${o.slug}/stores/${o.storeId}/published-applications`,
      body: { name: 'Matrix App' },
    }),
  },
  {
    name: 'GET builds',
    permission: 'mad.store.otpUsers.list',
    request: (o) => ({
      method: 'GET',
      path: `/v1/organizations/${o.slug}/stores/${o.storeId}/published-applications/${o.publishedApplicationId}/builds`,
    }),
  },
  {
    name: 'PUT published-build',
    permission: 'mad.publications.manage',
    prepare: async (o) => ({ build: await newBuild(o) }),
    request: (o, ids) => ({
      method: 'PUT',
      path: `/v1/organizations/${o.slug}/stores/${o.storeId}/published-applications/${o.publishedApplicationId}/published-build`,
      body: { buildId: ids.build },
    }),
  },
  {
    name: 'GET otp-users',
    permission: 'mad.store.otpUsers.list',
    request: (o) => ({ method: 'GET', path: users(o) }),
  },
  {
    name: 'POST otp-users',
    permission: 'mad.store.otpUsers.create',
    request: (o) => ({
      method: 'POST',
      path: users(o),
      body: { email: `${newObjectId()}@matrix.example`, publishedApplicationId: o.publishedApplicationId },
    }),
  },
  {
    name: 'GET otp-user',
    permission: 'mad.store.otpUsers.get',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    request: (o, ids) => ({ method: 'GET', path: `${users(o)}/${ids.user}` }),
  },
  {
    name: 'PUT otp-user',
    permission: 'mad.store.otpUsers.update',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    request: (o, ids) => ({
      method: 'PUT',
      path: `${users(o)}/${ids.user}`,
      body: { allowedDownloadsNum: 2 },
    }),
  },
  {
    name: 'DELETE otp-user',
    permission: 'mad.store.otpUsers.remove',
    prepare: async (o) => ({ user: await newOtpUser(o) }),
    request: (o, ids) => ({ method: 'DELETE', path: `${users(o)}/${ids.user}` }),
  },
];

async function restHeaders(credential: Credential, permission: Permission): Promise<Headers> {
  const headers = new Headers({ 'content-type': 'application/json' });
  switch (credential.kind) {
    case 'none':
      break;
    case 'revokedKey':
      headers.set('authorization', `Bearer ${await org.createApiKey(PERMISSIONS, { revoked: true })}`);
      break;
    case 'keyWithoutPermission':
      headers.set('authorization', `Bearer ${await org.createApiKey([unrelatedPermission(permission)])}`);
      break;
    case 'otherOrganizationKey':
      headers.set('authorization', `Bearer ${other.apiKey}`);
      break;
    case 'otherOrganizationMember':
      headers.set('cookie', await sessionCookieFor(other.members.OWNER.userId));
      break;
    case 'role':
      headers.set('cookie', await sessionCookieFor(org.members[credential.role].userId));
      break;
  }
  return headers;
}

describe('access matrix: Applivery REST routes', () => {
  for (const op of restOperations) {
    it(`${op.name} (${op.permission})`, async () => {
      for (const credential of credentials) {
        const ids = (await op.prepare?.(org)) ?? {};
        const { method, path, body } = op.request(org, ids);
        const headers = await restHeaders(credential, op.permission);
        const want = expected({ name: op.name, permission: op.permission, call: async () => {} }, credential);
        const before = await snapshot();
        const response = await applivery(
          new Request(`http://localhost${path}`, {
            method,
            headers,
            ...(body ? { body: JSON.stringify(body) } : {}),
          }),
        );
        const json = (await response.json()) as { status: boolean; error?: { code: number } };
        const what = `${op.name} as ${label(credential)}`;
        if (want === 'ok') {
          expect({ status: response.status, ok: json.status }, what).toEqual({ status: 200, ok: true });
          continue;
        }
        expect({ status: response.status, code: json.error?.code }, what).toEqual(want);
        expect(await snapshot(), `${what} changed nothing`).toEqual(before);
      }
    });
  }
});

const http = conformantRoutes(testHandlers());

const settingsOperations: RestOperation[] = [
  {
    name: 'GET /api/otp/settings',
    permission: 'otp.settings.read',
    request: () => ({ method: 'GET', path: '/api/otp/settings' }),
  },
  {
    name: 'PUT twilio',
    permission: 'otp.settings.update',
    request: () => ({ method: 'PUT', path: '/api/otp/settings/sms/twilio', body: twilioSetting }),
  },
  {
    name: 'PUT netgsm',
    permission: 'otp.settings.update',
    request: () => ({ method: 'PUT', path: '/api/otp/settings/sms/netgsm', body: netgsmSetting }),
  },
  {
    name: 'PUT dataport',
    permission: 'otp.settings.update',
    request: () => ({ method: 'PUT', path: '/api/otp/settings/sms/dataport', body: dataportSetting }),
  },
  {
    name: 'PUT mail/default',
    permission: 'otp.settings.update',
    request: () => ({ method: 'PUT', path: '/api/otp/settings/mail/default', body: smtpSetting() }),
  },
  {
    name: 'POST test',
    permission: 'otp.settings.test',
    request: () => ({
      method: 'POST',
      path: '/api/otp/settings/test',
      body: { type: 'MAIL', to: 'matrix@test.example' },
    }),
  },
];

describe('access matrix: OTP settings REST routes', () => {
  for (const op of settingsOperations) {
    it(`${op.name} (${op.permission})`, async () => {
      for (const credential of credentials) {
        const { method, path, body } = op.request(org, {});
        const headers = await restHeaders(credential, op.permission);
        headers.set('x-space', org.slug);
        const want = expected({ name: op.name, permission: op.permission, call: async () => {} }, credential);
        const before = await snapshot();
        const response = await http.route(
          new Request(`http://localhost${path}`, {
            method,
            headers,
            ...(body ? { body: JSON.stringify(body) } : {}),
          }),
        )!;
        const json = (await response.json()) as { status?: number };
        const what = `${op.name} as ${label(credential)}`;
        if (want === 'ok') {
          expect(response.status, what).toBe(200);
          continue;
        }
        expect({ status: response.status, bodyStatus: json.status }, what).toEqual({
          status: want.status,
          bodyStatus: want.status,
        });
        expect(await snapshot(), `${what} changed nothing`).toEqual(before);
      }
    });
  }
});
