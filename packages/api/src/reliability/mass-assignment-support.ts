/**
 * OWASP API3, mass assignment. Every create and update of both surfaces gets extra fields that a
 * client must never set (owner organization, store, counters, ids, timestamps, audit fields), with
 * values that point at another organization. Strict bodies refuse them (400/6001 naming the
 * field); the settings bodies' read-only `id` and audit fields are accepted and ignored, as
 * documented. Either way the rows are read back to prove nothing of the extras was applied.
 *
 * What the mass-assignment-*.test.ts files share: organizations A and B with rows of B to aim
 * at, the extras, the setting bodies, and the checks that refuse or ignore them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeError } from '../errors';
import type { createCaller } from '../root';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures } from '../testing/figures';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  dataportSettingBody,
  netgsmSettingBody,
  sessionCookieFor,
  type TestOrganization,
  testDb,
  testHandlers,
} from '../testing/fixtures';
import { CHECKSUMMED_TABLES, rowChecksums } from '../testing/row-checksums';

export type Caller = ReturnType<typeof createCaller>;

export let own: TestOrganization;
export let other: TestOrganization;
export let ownUserId: string;
export let otherUserId: string;
export let otherApiKeyId: string;
export const otherSettingIds: Record<string, string> = {};

export const figures = { calls: 0, refused: 0, ignored: 0, rowsReadBack: 0, fields: new Set<string>() };

export const LONG_AGO = '2000-01-01T00:00:00.000Z';

/** What a client may not set on an OTP user, each pointing at B (or at a forged history). */
export const otpUserExtras = () => ({
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
export function oneByOne(extras: Record<string, unknown>): [string, Record<string, unknown>][] {
  for (const field of Object.keys(extras)) figures.fields.add(field);
  return [
    ...Object.entries(extras).map(
      ([field, value]) => [field, { [field]: value }] as [string, Record<string, unknown>],
    ),
    ['all', extras],
  ];
}

export const checksumBoth = () => rowChecksums(testDb(), [own.id, other.id]);

/** A refused call: nothing of either organization may change. */
export async function refused<T>(what: string, run: () => Promise<T>): Promise<T> {
  const before = await checksumBoth();
  const result = await run();
  figures.calls++;
  figures.refused++;
  expect(await checksumBoth(), `${what} changed no row of either organization`).toEqual(before);
  return result;
}

export async function trpcFailure(call: () => Promise<unknown>) {
  try {
    await call();
  } catch (error) {
    const { status, code, data } = describeError(error);
    return { status, code, fields: Object.keys(data ?? {}) };
  }
  return { status: 200, code: 0, fields: [] as string[] };
}

export const http = conformantRoutes(testHandlers());

export async function send(method: string, path: string, headers: Headers, body: unknown) {
  const response = await http.route(
    new Request(`http://localhost${path}`, { method, headers, body: JSON.stringify(body) }),
  )!;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const bearer = (key: string) =>
  new Headers({ 'content-type': 'application/json', authorization: `Bearer ${key}` });

export async function sessionHeaders(o: TestOrganization) {
  return new Headers({
    'content-type': 'application/json',
    cookie: await sessionCookieFor(o.members.OWNER.userId),
    'x-space': o.slug,
  });
}

/** Both ways into the procedures: an API key and a signed-in owner, each of organization A. */
export async function ownCallers(): Promise<[string, Caller][]> {
  return [
    ['API key', callerFor(own.apiKey)],
    ['OWNER session', await callerAsUser(own.members.OWNER.userId, own.slug)],
  ];
}

export const freshEmail = () => `${randomBytes(6).toString('hex')}@mass.example`;

export const readOtpUser = async (id: string) => {
  figures.rowsReadBack++;
  return testDb().otpUser.findUniqueOrThrow({ where: { id } });
};

export type Provider = 'TWILIO' | 'NETGSM' | 'DATAPORT' | 'DEFAULT';

export const settingBodies: Record<Provider, Record<string, unknown>> = {
  TWILIO: {
    isDefault: true,
    type: 'SMS',
    provider: 'TWILIO',
    accountSid: `AC${'b'.repeat(32)}`,
    authToken: 'token',
    twilioNumber: '+15005550006',
  },
  NETGSM: netgsmSettingBody(),
  DATAPORT: dataportSettingBody(),
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

export const SETTING_PATHS: Record<Provider, string> = {
  TWILIO: '/api/otp/settings/sms/twilio',
  NETGSM: '/api/otp/settings/sms/netgsm',
  DATAPORT: '/api/otp/settings/sms/dataport',
  DEFAULT: '/api/otp/settings/mail/default',
};

export function upsert(caller: Caller, provider: Provider, body: unknown) {
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

export const PROVIDERS = Object.keys(SETTING_PATHS) as Provider[];

/** Columns of a setting that the body has no field for: refused, not ignored. */
export const settingExtras = () => ({
  organizationId: other.id,
  storeId: other.storeId,
  defaultFor: 'SMS',
  config: { smtpHost: 'smtp.attacker.example' },
  secrets: {},
  updatedAt: LONG_AGO,
});

/** The documented read-only fields, all pointing elsewhere: accepted, and ignored. */
export const readOnlyFields = (provider: Provider) => ({
  id: otherSettingIds[provider],
  creationDate: LONG_AGO,
  createdBy: other.members.OWNER.email,
  lastModifiedDate: LONG_AGO,
  lastModifiedBy: other.members.OWNER.email,
});

/**
 * The fixture of a mass-assignment file: organizations A and B, an OTP user, an API key and
 * delivery settings of B to point extras at; after the file, its figures under `figuresName`.
 */
export function useMassAssignment(figuresName: string) {
  afterAll(() => {
    recordFigures(figuresName, {
      'calls with extra fields': figures.calls,
      'refused (400/6001)': figures.refused,
      'accepted, extras ignored': figures.ignored,
      'distinct extra fields': figures.fields.size,
      'rows read back': figures.rowsReadBack,
      'tables checksummed': CHECKSUMMED_TABLES.length,
    });
  });

  beforeAll(async () => {
    [own, other] = await Promise.all([createTestOrganization(), createTestOrganization()]);
    const [ownUser] = await callerFor(own.apiKey).otpUser.create({
      storeId: own.storeId,
      data: {
        email: freshEmail(),
        publishedApplicationId: own.publishedApplicationId,
        allowedDownloadsNum: 3,
      },
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
}
