/**
 * OWASP API1, broken object-level authorization. Organization A's credentials (its all-permission
 * API key, its OWNER, ADMIN and VIEWER sessions, an OTP user's store session) call every tRPC
 * procedure and REST route that takes an id with the ids of organization B: its slug, store,
 * published application, OTP user, API key, members. Each answer must be the documented refusal
 * and read exactly like the answer for an id that does not exist, and the row checksums of both
 * organizations must not move. (access-matrix.test.ts covers the credential kinds on A's own ids.)
 *
 * What the object-authorization-*.test.ts files share: the two organizations, the credentials,
 * the expected refusals, and the row checksums that prove nothing moved.
 */
import { randomBytes } from 'node:crypto';
import { newObjectId } from '@otp-access/db';
import { type Permission, ROLE_PERMISSIONS, ROLES, type Role } from '@otp-access/validators';
import { afterAll, beforeAll, expect } from 'vitest';
import { describeError } from '../errors';
import type { createCaller } from '../root';
import { DEFAULT_CODE_POLICY, issueCode } from '../services/otp-codes';
import { deriveKey } from '../services/session';
import { storeSubjectId } from '../services/store-access';
import { conformantRoutes } from '../testing/conformance';
import { recordFigures } from '../testing/figures';
import {
  callerAsUser,
  callerFor,
  createTestOrganization,
  sinkMailSetting,
  type TestOrganization,
  testDb,
  testHandlers,
  testSession,
} from '../testing/fixtures';
import { CHECKSUMMED_TABLES, countRows, type RowChecksums, rowChecksums } from '../testing/row-checksums';

export type Caller = ReturnType<typeof createCaller>;

/** The ids a call can name. `foreign` = organization B's; `missingIds()` = ids nobody has. */
export interface Ids {
  slug: string;
  storeId: string;
  publishedApplicationId: string;
  otpUserId: string;
  apiKeyId: string;
  memberId: string;
  lockedMemberId: string;
}

export const missingIds = (): Ids => ({
  slug: `missing-${randomBytes(5).toString('hex')}`,
  storeId: newObjectId(),
  publishedApplicationId: newObjectId(),
  otpUserId: newObjectId(),
  apiKeyId: newObjectId(),
  memberId: newObjectId(),
  lockedMemberId: newObjectId(),
});

export let own: TestOrganization;
export let other: TestOrganization;
export let foreign: Ids;
/** An email that is an OTP user in both organizations, so a mix-up of stores would find a row. */
export const sharedEmail = `shared-${randomBytes(4).toString('hex')}@authz.example`;
export let ownCode: string;
/** Every id of B, to prove no answer to A ever carries one. */
export let foreignValues: string[] = [];

export const anyForeignValue = () =>
  new RegExp(foreignValues.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

export const figures = { calls: 0, checksums: 0, rowsPerChecksum: 0 };
export let baseline: RowChecksums;

export const checksumBoth = async () => {
  figures.checksums++;
  return rowChecksums(testDb(), [own.id, other.id]);
};

/** A new baseline, after a test added rows of its own on purpose. */
export async function resetBaseline() {
  baseline = await checksumBoth();
}

export const freshEmail = () => `${newObjectId()}@authz.example`;

/** Runs one call and proves that neither organization changed a single row. */
export async function unchanged<T>(what: string, run: () => Promise<T>): Promise<T> {
  const result = await run();
  figures.calls++;
  const [before, after] = [baseline, await checksumBoth()];
  // A leak fails its own check only, not every later one.
  baseline = after;
  expect(after, `${what} changed no row of either organization`).toEqual(before);
  return result;
}

export type Outcome =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code: number; message: string; data?: unknown };

export async function outcomeOf(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const { status, code, message, data } = describeError(error);
    return { ok: false, status, code, message, ...(data ? { data } : {}) };
  }
}

export type Credential = { kind: 'apiKey' } | { kind: 'role'; role: Role };
export const credentials: Credential[] = [
  { kind: 'apiKey' },
  ...ROLES.map((role) => ({ kind: 'role' as const, role })),
];
export const label = (c: Credential) => (c.kind === 'apiKey' ? 'API key' : `${c.role} session`);
export const holds = (c: Credential, permission: Permission) =>
  c.kind === 'apiKey' || ROLE_PERMISSIONS[c.role].includes(permission);

export const NOT_FOUND = { ok: false, status: 404, code: 3001, message: 'Entity not found' } as const;
export const FORBIDDEN = { ok: false, status: 403, code: 4003 } as const;
export const EMPTY_PAGE = { ok: true, value: expect.objectContaining({ items: [], totalDocs: 0 }) } as const;

/**
 * `organization`: the call addresses B itself (space / path slug) with B's ids. `store`: A's space,
 * B's store. `object`: A's space and store, B's object.
 */
export type Scope = 'organization' | 'store' | 'object';

export type Expected = typeof NOT_FOUND | typeof FORBIDDEN | typeof EMPTY_PAGE;

/**
 * The documented answer. An API key addressing another organization gets 404 (DESIGN §3: keys are
 * bound to theirs). A session addressing a space it is not a member of gets 403, the documented
 * exception (an unknown space gets the same 403), so only there the answer differs from a missing id.
 * Inside A's space a permission check comes first (403 without it), then B's object is a 404.
 */
export function expected(
  credential: Credential,
  scope: Scope,
  permission: Permission,
  held: Expected,
): Expected {
  if (scope === 'organization') return credential.kind === 'apiKey' ? NOT_FOUND : FORBIDDEN;
  return holds(credential, permission) ? held : FORBIDDEN;
}
export const comparableToMissing = (credential: Credential, scope: Scope) =>
  !(scope === 'organization' && credential.kind === 'role');

export function callerWith(credential: Credential, space: string): Promise<Caller> | Caller {
  return credential.kind === 'apiKey'
    ? callerFor(own.apiKey, { space })
    : callerAsUser(own.members[credential.role].userId, space);
}

export const http = conformantRoutes(testHandlers());

export async function send(request: Request) {
  const response = await http.route(request)!;
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

/** Spring bodies carry the time and path of the answer; everything else must match. */
export const withoutTimestamp = (body: Record<string, unknown> | null) => {
  if (!body) return body;
  const { timestamp: _timestamp, path: _path, ...rest } = body;
  return rest;
};

/**
 * The fixture of an object-authorization file: organizations A and B, B's rows in every
 * checksummed table, a baseline checksum; after the file, its figures under `figuresName`.
 */
export function useObjectAuthorization(figuresName: string) {
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
      await db.downloadEvent.create({
        data: { id: newObjectId(), otpUserId: sharedUser!.id, at: new Date() },
      });
    }
    await db.otpUser.update({ where: { id: sharedUser!.id }, data: { downloadsCount: 3n } });
    await otherKey.otpSettings.upsertSmtp(sinkMailSetting(2525, 'b@authz.example'));
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
    recordFigures(figuresName, {
      'calls with foreign or missing ids': figures.calls,
      'credential kinds': credentials.length + 1,
      'row checksums taken': figures.checksums,
      'tables checksummed': CHECKSUMMED_TABLES.length,
      'rows per checksum': figures.rowsPerChecksum,
    });
  });
}
