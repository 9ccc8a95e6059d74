/**
 * OWASP API3, mass assignment. Every create and update of both surfaces gets extra fields that a
 * client must never set (owner organization, store, counters, ids, timestamps, audit fields), with
 * values that point at another organization. Strict bodies refuse them (400/6001 naming the
 * field); the settings bodies' read-only `id` and audit fields are accepted and ignored, as
 * documented. Either way the rows are read back to prove nothing of the extras was applied.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../errors';
import type { createCaller } from '../root';
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
} from '../testing/fixtures';
import { CHECKSUMMED_TABLES, type RowChecksums, rowChecksums } from '../testing/row-checksums';

type Caller = ReturnType<typeof createCaller>;

let own: TestOrganization;
let other: TestOrganization;
let ownUserId: string;
let otherUserId: string;
let otherApiKeyId: string;
const otherSettingIds: Record<string, string> = {};

const figures = { calls: 0, refused: 0, ignored: 0, rowsReadBack: 0, fields: new Set<string>() };

const LONG_AGO = '2000-01-01T00:00:00.000Z';

/** What a client may not set on an OTP user, each pointing at B (or at a forged history). */
const otpUserExtras = () => ({
  id: otherUserId,
  organizationId: other.id,
  storeId: other.storeId,
  downloadsCount: 1_000_000,
  lastLoginDate: LONG_AGO,
  lastDownloadDate: LONG_AGO,
  createdAt: LONG_AGO,
  updatedAt: LONG_AGO,
  createdBy: other.members.OWNER.email,
  updatedBy: other.members.OWNER.email,
});

/** Each field alone (so one refusal cannot hide another), then all of them at once. */
function oneByOne(extras: Record<string, unknown>): [string, Record<string, unknown>][] {
  for (const field of Object.keys(extras)) figures.fields.add(field);
  return [
    ...Object.entries(extras).map(
      ([field, value]) => [field, { [field]: value }] as [string, Record<string, unknown>],
    ),
    ['all', extras],
  ];
}

const checksumBoth = () => rowChecksums(testDb(), [own.id, other.id]);

/** A refused call: nothing of either organization may change. */
async function refused<T>(what: string, run: () => Promise<T>): Promise<T> {
  const before = await checksumBoth();
  const result = await run();
  figures.calls++;
  figures.refused++;
  expect(await checksumBoth(), `${what} changed no row of either organization`).toEqual(before);
  return result;
}

async function trpcFailure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    const { status, code, data } = describeError(error);
    return { status, code, fields: Object.keys(data ?? {}) };
  }
  return { status: 200, code: 0, fields: [] as string[] };
}

const http = conformantRoutes(testHandlers());

async function send(method: string, path: string, headers: Headers, body: unknown) {
  const response = await http.route(
    new Request(`http://localhost${path}`, { method, headers, body: JSON.stringify(body) }),
  )!;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const bearer = (key: string) =>
  new Headers({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

async function sessionHeaders(o: TestOrganization) {
  return new Headers({
    'content-type': 'application/json',
    cookie: await sessionCookieFor(o.members.OWNER.userId),
    'x-space': o.slug,
  });
}

/** Both ways into the procedures: an API key and a signed-in owner, each of organization A. */
async function ownCallers(): Promise<[string, Caller][]> {
  return [
    ['API key', callerFor(own.apiKey)],
    ['OWNER session', await callerAsUser(own.members.OWNER.userId, own.slug)],
  ];
}

const freshEmail = () => `${randomBytes(6).toString('hex')}@mass.example`;

const readOtpUser = async (id: string) => {
  figures.rowsReadBack++;
  return testDb().otpUser.findUniqueOrThrow({ where: { id } });
};

beforeAll(async () => {
  [own, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
  const [ownUser] = await callerFor(own.apiKey).otpUser.create({
    storeId: own.storeId,
    data: { email: freshEmail(), publishedApplicationId: own.publishedApplicationId, allowedDownloadsNum: 3 },
  });
  ownUserId = ownUser!.id;
  const otherKey = callerFor(other.apiKey);
  const [otherUser] = await otherKey.otpUser.create({
    storeId: other.storeId,
    data: { email: freshEmail(), publishedApplicationId: other.publishedApplicationId },
  });
  otherUserId = otherUser!.id;
  otherApiKeyId = (await otherKey.apiKey.create({ name: 'B', permissions: ['org.audit.read'] })).apiKey.id;
  for (const [provider, body] of Object.entries(settingBodies)) {
    const saved = (await upsert(otherKey, provider as Provider, body)) as { id: string };
    otherSettingIds[provider] = saved.id;
  }
});

describe('mass assignment: OTP users', () => {
  it('Applivery POST otp-users refuses every extra field, and creates no one', async () => {
    const path = `/v1/organizations/${own.slug}/stores/${own.storeId}/otp-users`;
    for (const [field, extra] of oneByOne(otpUserExtras())) {
      const email = freshEmail();
      const got = await refused(`POST otp-users + ${field}`, () =>
        send('POST', path, bearer(own.apiKey), {
          email,
          publishedApplicationId: own.publishedApplicationId,
          ...extra,
        }),
      );
      expect(got.status, field).toBe(400);
      expect(got.body.error, field).toMatchObject({
        code: 6001,
        message: 'Database Validation Error',
        data: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
      });
      figures.rowsReadBack++;
      expect(await testDb().otpUser.count({ where: { email } }), field).toBe(0);
    }
  });

  it('Applivery PUT otp-user refuses every extra field, and the row stays as it was', async () => {
    const path = `/v1/organizations/${own.slug}/stores/${own.storeId}/otp-users/${ownUserId}`;
    const extras = {
      ...otpUserExtras(),
      publishedApplicationId: other.publishedApplicationId,
      email: freshEmail(),
    };
    for (const [field, extra] of oneByOne(extras)) {
      const before = await readOtpUser(ownUserId);
      const got = await refused(`PUT otp-user + ${field}`, () =>
        send('PUT', path, bearer(own.apiKey), { allowedDownloadsNum: 42, ...extra }),
      );
      expect(got.status, field).toBe(400);
      expect(got.body.error, field).toMatchObject({
        code: 6001,
        data: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
      });
      expect(await readOtpUser(ownUserId), field).toEqual(before);
    }
  });

  it('tRPC otpUser.create refuses extra fields in the body and beside it', async () => {
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of oneByOne(otpUserExtras())) {
        const email = freshEmail();
        const what = `otpUser.create as ${who} + data.${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.otpUser.create({
              storeId: own.storeId,
              data: { email, publishedApplicationId: own.publishedApplicationId, ...extra } as never,
            }),
          ),
        );
        expect(got, what).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra).map((key) => `data.${key}`),
        });
        figures.rowsReadBack++;
        expect(await testDb().otpUser.count({ where: { email } }), what).toBe(0);
      }
      const email = freshEmail();
      const what = `otpUser.create as ${who} + organizationId beside the body`;
      const got = await refused(what, () =>
        trpcFailure(() =>
          caller.otpUser.create({
            storeId: own.storeId,
            organizationId: other.id,
            data: { email, publishedApplicationId: own.publishedApplicationId },
          } as never),
        ),
      );
      expect(got, what).toEqual({ status: 400, code: 6001, fields: ['organizationId'] });
      expect(await testDb().otpUser.count({ where: { email } }), what).toBe(0);
    }
  });

  it('tRPC otpUser.update refuses extra fields, and the row stays as it was', async () => {
    const extras = {
      ...otpUserExtras(),
      publishedApplicationId: other.publishedApplicationId,
      email: freshEmail(),
    };
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of [
        ...oneByOne(extras),
        ['organizationId beside the body', { organizationId: other.id }] as const,
      ]) {
        const beside = field === 'organizationId beside the body';
        const before = await readOtpUser(ownUserId);
        const what = `otpUser.update as ${who} + ${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.otpUser.update({
              storeId: own.storeId,
              otpUserId: ownUserId,
              data: { allowedDownloadsNum: 42, ...(beside ? {} : extra) },
              ...(beside ? extra : {}),
            } as never),
          ),
        );
        expect(got, what).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra).map((key) => (beside ? key : `data.${key}`)),
        });
        expect(await readOtpUser(ownUserId), what).toEqual(before);
      }
    }
  });
});

describe('mass assignment: query strings of the Applivery lists', () => {
  it('an organizationId in the query is refused; a storeId in the query never replaces the path', async () => {
    const organization = `/v1/organizations/${own.slug}`;
    const lists = [
      `${organization}/stores`,
      `${organization}/stores/${own.storeId}/published-applications`,
      `${organization}/stores/${own.storeId}/otp-users`,
    ];
    for (const path of lists) {
      const got = await refused(`GET ${path}?organizationId`, () =>
        send('GET', `${path}?organizationId=${other.id}`, bearer(own.apiKey), undefined),
      );
      expect(got.status, path).toBe(400);
      expect(got.body.error, path).toMatchObject({ code: 6001, data: { organizationId: 'Unknown field' } });
    }
    for (const path of lists.slice(1)) {
      const got = await refused(`GET ${path}?storeId`, () =>
        send('GET', `${path}?storeId=${other.storeId}`, bearer(own.apiKey), undefined),
      );
      expect(got.status, path).toBe(200);
      const items = (got.body.data as { items: Record<string, unknown>[] }).items;
      expect(items.length, path).toBeGreaterThan(0);
      for (const item of items) {
        expect(item.storeId ?? own.storeId, path).toBe(own.storeId);
        expect(JSON.stringify(item), path).not.toContain(other.storeId);
      }
    }
  });
});

type Provider = 'TWILIO' | 'NETGSM' | 'DATAPORT' | 'DEFAULT';

const settingBodies: Record<Provider, Record<string, unknown>> = {
  TWILIO: {
    isDefault: true,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'b'.repeat(32)}`,
    authToken: 'token',
    twilioNumber: '+15005550006',
  },
  NETGSM: { isDefault: false, type: 'SMS', provider: 'NETGSM', username: 'u', password: 'p', header: 'H' },
  DATAPORT: {
    isDefault: false,
    type: 'SMS',
    provider: 'DATAPORT',
    username: 'u',
    password: 'p',
    accountNumber: '1',
    originator: 'O',
  },
  DEFAULT: {
    isDefault: true,
    type: 'MAIL',
    provider: 'DEFAULT',
    smtpHost: 'smtp.example.com',
    smtpPort: 587,
    transportStrategy: 'SMTP_TLS',
    fromAddress: 'otp@mass.example',
  },
};

const SETTING_PATHS: Record<Provider, string> = {
  TWILIO: '/api/otp/settings/sms/twilio',
  NETGSM: '/api/otp/settings/sms/netgsm',
  DATAPORT: '/api/otp/settings/sms/dataport',
  DEFAULT: '/api/otp/settings/mail/default',
};

function upsert(caller: Caller, provider: Provider, body: unknown) {
  switch (provider) {
    case 'TWILIO':
      return caller.otpSettings.upsertTwilio(body as never);
    case 'NETGSM':
      return caller.otpSettings.upsertNetgsm(body as never);
    case 'DATAPORT':
      return caller.otpSettings.upsertDataport(body as never);
    case 'DEFAULT':
      return caller.otpSettings.upsertSmtp(body as never);
  }
}

const PROVIDERS = Object.keys(SETTING_PATHS) as Provider[];

/** Columns of a setting that the body has no field for: refused, not ignored. */
const settingExtras = () => ({
  organizationId: other.id,
  storeId: other.storeId,
  defaultFor: 'SMS',
  config: { smtpHost: 'smtp.attacker.example' },
  secrets: {},
  updatedAt: LONG_AGO,
});

/** The documented read-only fields, all pointing elsewhere: accepted, and ignored. */
const readOnlyFields = (provider: Provider) => ({
  id: otherSettingIds[provider],
  creationDate: LONG_AGO,
  createdBy: other.members.OWNER.email,
  lastModifiedDate: LONG_AGO,
  lastModifiedBy: other.members.OWNER.email,
});

describe('mass assignment: OTP delivery settings', () => {
  it('PUT /api/otp/settings/* and otpSettings.upsert* refuse columns the body does not have', async () => {
    const keyCaller = callerFor(own.apiKey);
    for (const provider of PROVIDERS) {
      for (const [field, extra] of oneByOne(settingExtras())) {
        const body = { ...settingBodies[provider], ...extra };
        const rest = await refused(`PUT ${provider} + ${field}`, () =>
          send('PUT', SETTING_PATHS[provider], bearer(own.apiKey), body),
        );
        expect({ status: rest.status, errors: rest.body.errors }, `${provider} + ${field}`).toEqual({
          status: 400,
          errors: Object.fromEntries(Object.keys(extra).map((key) => [key, 'Unknown field'])),
        });
        const trpc = await refused(`upsert ${provider} + ${field}`, () =>
          trpcFailure(() => upsert(keyCaller, provider, body)),
        );
        expect(trpc, `${provider} + ${field}`).toEqual({
          status: 400,
          code: 6001,
          fields: Object.keys(extra),
        });
        figures.rowsReadBack++;
        expect(await testDb().deliverySetting.count({ where: { organizationId: own.id } })).toBe(0);
      }
    }
  });

  it("accepts and ignores id and audit fields: B's setting untouched, A's row keeps its own", async () => {
    const otherOwner = other.members.OWNER.email;
    const ownKey = callerFor(own.apiKey);
    for (const provider of PROVIDERS) {
      const body = { ...settingBodies[provider], ...readOnlyFields(provider) };
      const otherBefore = await rowChecksums(testDb(), [other.id]);
      const started = Date.now();

      // Created over REST by a signed-in owner of A, then changed over tRPC by A's key.
      const created = await send('PUT', SETTING_PATHS[provider], await sessionHeaders(own), body);
      expect(created.status, provider).toBe(200);
      figures.calls++;
      figures.ignored++;
      const row = await testDb().deliverySetting.findUniqueOrThrow({
        where: {
          organizationId_type_provider: {
            organizationId: own.id,
            type: settingBodies[provider].type as never,
            provider,
          },
        },
      });
      figures.rowsReadBack++;
      expect(row.id).not.toBe(otherSettingIds[provider]);
      expect(created.body.id).toBe(row.id);
      expect(row.createdBy).toContain(own.members.OWNER.userId);
      expect(row.lastModifiedBy).toContain(own.members.OWNER.userId);
      expect(row.creationDate.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(row.lastModifiedDate.getTime()).toBeGreaterThanOrEqual(started - 1000);

      const updated = (await upsert(ownKey, provider, body)) as { id: string; createdBy: string };
      figures.calls++;
      figures.ignored++;
      const after = await testDb().deliverySetting.findUniqueOrThrow({ where: { id: row.id } });
      figures.rowsReadBack++;
      expect(updated.id).toBe(row.id);
      expect(after.organizationId).toBe(own.id);
      expect(after.createdBy).toBe(row.createdBy);
      expect(after.creationDate).toEqual(row.creationDate);
      expect(after.lastModifiedBy).toMatch(/^apiKey:/);
      expect(after.lastModifiedDate.getTime()).toBeGreaterThanOrEqual(row.lastModifiedDate.getTime());
      for (const value of [after.createdBy, after.lastModifiedBy]) expect(value).not.toContain(otherOwner);

      expect(await rowChecksums(testDb(), [other.id]), `${provider}: B unchanged`).toEqual(otherBefore);
    }
  });

  it('setDefault and remove refuse an organization or id beside the target', async () => {
    for (const [who, caller] of await ownCallers()) {
      for (const [field, extra] of oneByOne({ organizationId: other.id, id: otherSettingIds.NETGSM })) {
        for (const [name, call] of [
          [
            'setDefault',
            () => caller.otpSettings.setDefault({ type: 'SMS', provider: 'NETGSM', ...extra } as never),
          ],
          ['remove', () => caller.otpSettings.remove({ type: 'SMS', provider: 'NETGSM', ...extra } as never)],
        ] as const) {
          const what = `otpSettings.${name} as ${who} + ${field}`;
          const got = await refused(what, () => trpcFailure(call));
          expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
        }
      }
    }
  });
});

describe('mass assignment: API keys, members, own account', () => {
  it('apiKey.create refuses owner, id, hash and timestamps', async () => {
    for (const [who, caller] of await ownCallers()) {
      const extras = {
        organizationId: other.id,
        id: otherApiKeyId,
        keyHash: 'f'.repeat(64),
        prefix: 'otpk_attacker',
        createdAt: LONG_AGO,
        lastUsedAt: LONG_AGO,
        revokedAt: null,
        createdBy: other.members.OWNER.email,
      };
      for (const [field, extra] of oneByOne(extras)) {
        const name = `mass-${randomBytes(4).toString('hex')}`;
        const what = `apiKey.create as ${who} + ${field}`;
        const got = await refused(what, () =>
          trpcFailure(() =>
            caller.apiKey.create({ name, permissions: ['org.audit.read'], ...extra } as never),
          ),
        );
        expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
        figures.rowsReadBack++;
        expect(await testDb().apiKey.count({ where: { name } }), what).toBe(0);
      }
    }
  });

  it('apiKey.revoke and member operations refuse an organization beside the id', async () => {
    const viewer = own.members.VIEWER.userId;
    for (const [who, caller] of await ownCallers()) {
      const email = freshEmail();
      const calls: [string, () => Promise<unknown>][] = [
        ['apiKey.revoke', () => caller.apiKey.revoke({ id: otherApiKeyId, organizationId: own.id } as never)],
        [
          'member.invite',
          () =>
            caller.member.invite({
              email,
              role: 'OWNER',
              organizationId: other.id,
              userId: other.members.OWNER.userId,
              createdAt: LONG_AGO,
            } as never),
        ],
        [
          'member.changeRole',
          () =>
            caller.member.changeRole({ userId: viewer, role: 'OWNER', organizationId: other.id } as never),
        ],
        ['member.remove', () => caller.member.remove({ userId: viewer, organizationId: other.id } as never)],
        ['member.unlock', () => caller.member.unlock({ userId: viewer, organizationId: other.id } as never)],
      ];
      for (const [name, call] of calls) {
        const what = `${name} as ${who}`;
        const got = await refused(what, () => trpcFailure(call));
        expect(got.status, what).toBe(400);
        expect(got.code, what).toBe(6001);
        expect(got.fields, what).toContain('organizationId');
      }
      figures.rowsReadBack += 2;
      expect(await testDb().adminUser.count({ where: { email } })).toBe(0);
      expect(
        await testDb().membership.findUniqueOrThrow({
          where: { userId_organizationId: { userId: viewer, organizationId: own.id } },
        }),
      ).toMatchObject({ role: 'VIEWER' });
    }
  });

  it("auth.setTwoFactor changes only the caller's own account", async () => {
    const caller = await callerAsUser(own.members.ADMIN.userId, own.slug);
    for (const [field, extra] of oneByOne({
      userId: other.members.OWNER.userId,
      email: other.members.OWNER.email,
    })) {
      const what = `auth.setTwoFactor + ${field}`;
      const got = await refused(what, () =>
        trpcFailure(() => caller.auth.setTwoFactor({ otpType: 'MAIL', ...extra } as never)),
      );
      expect(got, what).toEqual({ status: 400, code: 6001, fields: Object.keys(extra) });
    }
    figures.rowsReadBack += 2;
    for (const userId of [own.members.ADMIN.userId, other.members.OWNER.userId]) {
      expect(await testDb().adminUser.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({
        otpType: 'NONE',
      });
    }
  });
});

describe('mass assignment: figures', () => {
  it('covered every checksummed table and recorded what it did', async () => {
    const checksums: RowChecksums = await checksumBoth();
    expect(Object.keys(checksums).sort()).toEqual([...CHECKSUMMED_TABLES].sort());
    expect(figures.refused).toBeGreaterThan(0);
    recordFigures('mass-assignment', {
      'calls with extra fields': figures.calls,
      'refused (400/6001)': figures.refused,
      'accepted, extras ignored': figures.ignored,
      'distinct extra fields': figures.fields.size,
      'rows read back': figures.rowsReadBack,
      'tables checksummed': CHECKSUMMED_TABLES.length,
    });
  });
});
