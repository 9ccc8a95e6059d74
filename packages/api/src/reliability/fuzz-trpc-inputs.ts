/**
 * What the tRPC fuzzer sends: a valid input of every procedure (so mutations of it get past the
 * outer checks), inputs for one procedure, and whole HTTP calls (batches, wrong methods, broken
 * encodings) for fuzz-trpc-*.test.ts.
 */
import { newObjectId } from '@otp-access/db';
import fc from 'fast-check';
import {
  dataportSettingBody,
  netgsmSettingBody,
  sinkMailSetting,
  TEST_PASSWORD,
  twilioSettingBody,
} from '../testing/fixtures';
import { almostValid, anyJson, hostileValue } from './fuzz-support';
import {
  buildId,
  type HttpCall,
  org,
  other,
  otpUserId,
  procedures,
  sacrificialKeyId,
  sacrificialMemberId,
  sacrificialStoreId,
  sink,
  who,
} from './fuzz-trpc-support';

export const DRAFT_POLICY = {
  codeLength: 8,
  codeTtlMinutes: 5,
  mailSubject: null,
  mailBody: null,
  smsText: null,
};

/** A valid input of each procedure, so mutations of it get past the outer checks. */
export const validInputs: Record<string, () => unknown> = {
  'auth.login': () => ({ username: org.members.VIEWER.email, password: TEST_PASSWORD }),
  'auth.validate': () => ({ username: org.members.VIEWER.email, otp_code: '123456' }),
  'auth.setTwoFactor': () => ({ otpType: 'NONE' }),
  'auth.refresh': () => ({ refresh_token: 'r'.repeat(40) }),
  'auth.logout': () => undefined,
  'auth.me': () => undefined,
  'auth.switchSpace': () => ({ slug: org.slug }),
  'apiKey.list': () => undefined,
  'apiKey.create': () => ({ name: 'fuzz', permissions: ['mad.store.otpUsers.list'] }),
  'apiKey.revoke': () => ({ id: sacrificialKeyId }),
  'member.list': () => undefined,
  'member.invite': () => ({ email: `i-${newObjectId()}@fuzz.example`, role: 'VIEWER' }),
  'member.changeRole': () => ({ userId: sacrificialMemberId, role: 'VIEWER' }),
  'member.remove': () => ({ userId: sacrificialMemberId }),
  'member.unlock': () => ({ userId: sacrificialMemberId }),
  'member.invitations': () => undefined,
  'member.revokeInvitation': () => ({ id: newObjectId() }),
  'account.twoFactor': () => undefined,
  'account.beginTotp': () => undefined,
  'account.confirmTotp': () => ({ code: '123456' }),
  // Never the right password: a fuzzed success must not change the owner's sign-in.
  'account.regenerateRecoveryCodes': () => ({ currentPassword: 'not the password' }),
  'account.changePassword': () => ({
    currentPassword: 'not the password',
    newPassword: 'a new password 123',
  }),
  'account.sessions': () => undefined,
  'account.revokeSession': () => ({ id: newObjectId() }),
  'account.invitations': () => undefined,
  'account.answerInvitation': () => ({ id: newObjectId(), accept: false }),
  'invitation.preview': () => ({ token: 'a'.repeat(43) }),
  'invitation.accept': () => ({ token: 'a'.repeat(43), password: 'a long password 1' }),
  'audit.list': () => ({ page: 1, limit: 5, actor: 'x', action: 'otpUser.update' }),
  'otpSettings.list': () => undefined,
  'otpSettings.upsertTwilio': twilioSettingBody,
  'otpSettings.upsertNetgsm': netgsmSettingBody,
  'otpSettings.upsertDataport': dataportSettingBody,
  'otpSettings.upsertSmtp': () => sinkMailSetting(sink.port, 'fuzz@test.example'),
  'otpSettings.setDefault': () => ({ type: 'SMS', provider: 'NETGSM' }),
  'otpSettings.remove': () => ({ type: 'SMS', provider: 'DATAPORT' }),
  'otpSettings.test': () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  'deliveryLog.list': () => ({ page: 1, limit: 5, type: 'MAIL', status: 'SENT', purpose: 'TEST' }),
  'overview.get': () => ({ days: 7 }),
  'otpUser.list': () => ({ storeId: org.storeId, page: 1, limit: 5, sort: 'email:asc', email: 'fuzz' }),
  'otpUser.byId': () => ({ storeId: org.storeId, otpUserId }),
  'otpUser.create': () => ({
    storeId: org.storeId,
    data: { email: `c-${newObjectId()}@fuzz.example`, publishedApplicationId: org.publishedApplicationId },
  }),
  'otpUser.update': () => ({ storeId: org.storeId, otpUserId, data: { allowedDownloadsNum: 4 } }),
  'otpUser.delete': () => ({ storeId: org.storeId, otpUserId }),
  'otpUser.downloads': () => ({ storeId: org.storeId, otpUserId, page: 1, limit: 5 }),
  'otpUser.usage': () => ({ storeId: org.storeId, otpUserIds: [otpUserId] }),
  'store.list': () => ({ page: 1, limit: 5 }),
  'store.create': () => ({ data: { name: 'fuzz store', description: 'made by the fuzzer' } }),
  'store.update': () => ({ storeId: sacrificialStoreId, data: { name: 'fuzz renamed', description: '' } }),
  'store.delete': () => ({ storeId: sacrificialStoreId }),
  'organization.get': () => undefined,
  'organization.rename': () => ({ name: 'Fuzz Org' }),
  'organization.updateOtpPolicy': () => ({
    codeLength: 6,
    codeTtlMinutes: 10,
    mailSubject: 'Code for {{organization}}',
    mailBody: 'Your code: {{code}} ({{minutes}} min)',
    smsText: null,
  }),
  'organization.previewMessages': () => ({ policy: { ...DRAFT_POLICY } }),
  'organization.testMessage': () => ({ type: 'MAIL', to: 'fuzz@test.example' }),
  // Never the real name: an owner's fuzzed call must not end the organization under test.
  'organization.delete': () => ({ confirmName: 'not the organization name' }),
  'setup.status': () => undefined,
  'setup.createOrganization': () => ({
    slug: 'fuzz-first',
    name: 'Fuzz First',
    ownerEmail: 'first@fuzz.example',
    password: 'a-long-enough-password',
    token: 'not-the-setup-token',
  }),
  'publishedApplication.list': () => ({ storeId: org.storeId, page: 1, limit: 5 }),
  'publishedApplication.create': () => ({ storeId: org.storeId, data: { name: 'Fuzz App', version: '1' } }),
  'build.list': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    page: 1,
    limit: 5,
  }),
  'build.upload': () => ({ storeId: org.storeId, publishedApplicationId: org.publishedApplicationId }),
  'build.publish': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    data: { buildId },
  }),
  'build.delete': () => ({
    storeId: org.storeId,
    publishedApplicationId: org.publishedApplicationId,
    buildId,
  }),
  'storeAccess.store': () => ({ storeId: org.storeId }),
  'storeAccess.requestCode': () => ({ storeId: org.storeId, email: 'nobody@fuzz.example' }),
  'storeAccess.verifyCode': () => ({ storeId: org.storeId, email: 'nobody@fuzz.example', code: '123456' }),
  'storeAccess.apps': () => undefined,
  'storeAccess.logout': () => undefined,
};

/** Ids the fuzzer swaps in: the other organization's, unknown ones, malformed ones. */
export const foreignId = fc.oneof(
  fc.constantFrom('OTHER_STORE', 'OTHER_APP', 'OTHER_OWNER'),
  fc.stringMatching(/^[0-9a-f]{24}$/),
  fc.stringMatching(/^[0-9a-fA-F]{23,25}$/),
);

export function resolveForeign(value: unknown): unknown {
  if (value === 'OTHER_STORE') return other.storeId;
  if (value === 'OTHER_APP') return other.publishedApplicationId;
  if (value === 'OTHER_OWNER') return other.members.OWNER.userId;
  return value;
}

/** Inputs for one procedure: broken valid ones, ids of another tenant, and anything at all. */
export function inputsFor(path: string): fc.Arbitrary<unknown> {
  const valid = Object.hasOwn(validInputs, path) ? validInputs[path]!() : undefined;
  const base = valid && typeof valid === 'object' ? (valid as Record<string, unknown>) : {};
  const idKeys = Object.keys(base).filter((k) => /Id$|^id$|^userId$/.test(k));
  const swapped =
    idKeys.length > 0
      ? fc
          .tuple(fc.constantFrom(...idKeys), foreignId)
          .map(([key, id]) => ({ ...base, [key]: resolveForeign(id) }))
      : fc.constant<unknown>(valid);
  return fc.oneof(
    { weight: 6, arbitrary: almostValid(base) },
    { weight: 2, arbitrary: swapped },
    { weight: 2, arbitrary: fc.constant(valid) },
    { weight: 2, arbitrary: anyJson },
    {
      weight: 2,
      arbitrary: fc.anything({
        maxDepth: 3,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withTypedArray: true,
        withSparseArray: true,
        withBoxedValues: true,
      }),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

/* ---------- HTTP ---------- */

export const procedurePath = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...procedures.map((p) => p.path)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'nope',
      'auth',
      'auth.login.extra',
      '__proto__',
      'constructor',
      'toString',
      'auth.__proto__',
      'otpUser.constructor',
      '',
      '.',
      'a'.repeat(3_000),
      '%00',
      '%E0%A4%A',
    ),
  },
);

export const httpCall: fc.Arbitrary<HttpCall> = fc
  .record({
    paths: fc.array(procedurePath, { minLength: 1, maxLength: 3 }),
    batch: fc.boolean(),
    method: fc.oneof(
      { weight: 8, arbitrary: fc.constant<'auto'>('auto') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<HttpCall['method']>('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'),
      },
    ),
    encoding: fc.oneof(
      { weight: 6, arbitrary: fc.constant<'json'>('json') },
      { weight: 1, arbitrary: fc.constant<'raw'>('raw') },
    ),
    raw: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }),
      fc.constantFrom(
        '{',
        '[]',
        '{"0":',
        'null',
        '{"0":{"json":1}}',
        '{"__proto__":{"x":1}}',
        'x'.repeat(200_000),
      ),
    ),
    contentType: fc.constantFrom<string | null>(
      'application/json',
      'application/json',
      'application/json',
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
    ),
    who,
    extraHeaders: fc.array(
      fc.tuple(
        fc.constantFrom(
          'x-space',
          'origin',
          'sec-fetch-site',
          'cookie',
          'trpc-accept',
          'x-request-id',
          'accept',
        ),
        fc.oneof(
          fc.constantFrom(
            'cross-site',
            'https://evil.example',
            'ins_space=%00',
            'application/jsonl',
            '',
            'a'.repeat(20_000),
          ),
          fc.string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
            maxLength: 60,
          }),
        ),
      ),
      { maxLength: 2 },
    ),
  })
  .chain((call) =>
    fc
      .tuple(...call.paths.map((p) => (Object.hasOwn(validInputs, p) ? inputsFor(p) : anyJson)))
      .map((inputs) => ({ ...call, paths: call.batch ? call.paths : call.paths.slice(0, 1), inputs })),
  );
