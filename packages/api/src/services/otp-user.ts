import { type Db, newObjectId, type Prisma, sqlPool } from '@otp-access/db';
import type { OtpUserDto, OtpUserSortField } from '@otp-access/validators';
import { AppError, ErrorCode, notFound } from '../errors';
import { recordAudit, recordAudits } from './audit';
import { type Page, type PageRequest, skipTake, toPage } from './pagination';

/** Exactly the fields the API shows: nothing else leaves the database. */
const otpUserSelect = {
  id: true,
  organizationId: true,
  storeId: true,
  publishedApplicationId: true,
  email: true,
  allowedDownloadsNum: true,
  lastLoginDate: true,
  lastDownloadDate: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.OtpUserSelect;
type OtpUserRow = Prisma.OtpUserGetPayload<{ select: typeof otpUserSelect }>;

export function toOtpUserDto(row: OtpUserRow): OtpUserDto {
  return {
    id: row.id,
    organizationId: row.organizationId,
    storeId: row.storeId,
    publishedApplicationId: row.publishedApplicationId,
    email: row.email,
    allowedDownloadsNum: Number(row.allowedDownloadsNum),
    lastLoginDate: row.lastLoginDate?.toISOString() ?? null,
    lastDownloadDate: row.lastDownloadDate?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

interface OtpUserSqlRow {
  id: string;
  organization_id: string;
  store_id: string;
  published_application_id: string;
  email: string;
  allowed_downloads_num: string;
  last_login_date: Date | null;
  last_download_date: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The columns of an OTP user the API shows, as raw SQL selects them (bigint as text: no rounding). */
const OTP_USER_COLUMNS =
  'id, organization_id, store_id, published_application_id, email, allowed_downloads_num, last_login_date, last_download_date, created_at, updated_at';

function otpUserFromSql(row: OtpUserSqlRow): OtpUserDto {
  return toOtpUserDto({
    id: row.id,
    organizationId: row.organization_id,
    storeId: row.store_id,
    publishedApplicationId: row.published_application_id,
    email: row.email,
    allowedDownloadsNum: BigInt(row.allowed_downloads_num),
    lastLoginDate: row.last_login_date,
    lastDownloadDate: row.last_download_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** Where an OTP user of a store can be acted on: its organization, its store. */
export interface OtpUserScope {
  organizationId: string;
  storeId: string;
}

export interface Actor {
  organizationId: string;
  actor: string;
}

/**
 * The integrations' reads (one user, a list page) run as named SQL statements on the pool under
 * Prisma: a Prisma `findFirst` cost about five times the CPU of the same SELECT through node-postgres
 * (bench/FINDINGS.md), and on these paths the API's CPU is the limit. Named, each pooled
 * connection parses and plans a statement once.
 */
const STORE_IN_ORGANIZATION_SQL =
  'SELECT id, otp_user_count FROM store WHERE id = $1 AND organization_id = $2';

async function findStoreInOrganization(db: Db, scope: OtpUserScope) {
  const { rows } = await sqlPool(db).query<{ id: string; otp_user_count: number }>({
    name: 'store-in-organization',
    text: STORE_IN_ORGANIZATION_SQL,
    values: [scope.storeId, scope.organizationId],
  });
  const row = rows[0];
  if (!row) throw notFound();
  return { id: row.id, otpUserCount: row.otp_user_count };
}

/** LIKE treats % and _ as wildcards; a search for them must find them literally. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export interface ListOtpUsersFilter extends PageRequest {
  sort?: { field: OtpUserSortField; direction: 'asc' | 'desc' } | undefined;
  publishedApplicationId?: string | undefined;
  email?: string | undefined;
  /** Only users with a limited allowance and at most this many (0..2) downloads left. */
  downloadsLeft?: number | undefined;
}

export async function listOtpUsers(
  db: Db,
  scope: OtpUserScope,
  filter: ListOtpUsersFilter,
): Promise<Page<OtpUserDto>> {
  const sort = filter.sort ?? { field: 'createdAt', direction: 'desc' };
  if (filter.email || filter.downloadsLeft !== undefined) {
    await findStoreInOrganization(db, scope);
    return searchOtpUsers(db, scope, { ...filter, email: filter.email ?? null, sort });
  }
  // The page is scoped to the organization and store itself, so it can run beside the store's
  // check: one round trip. A store that is not the caller's answers 404 all the same.
  const [sql, params] = otpUserPageSql(scope, { ...filter, sort }, null);
  const [store, { rows }] = await Promise.all([
    findStoreInOrganization(db, scope),
    sqlPool(db).query<OtpUserSqlRow>(sql, params),
  ]);
  return toPage(rows.map(otpUserFromSql), await countOtpUsers(db, store, filter), filter);
}

/**
 * Sort fields → ORDER BY terms (`%` is the direction); the only text that reaches the SQL from a
 * request. An unlimited allowance (any negative value) ranks above every number.
 */
const SORT_TERMS: Record<OtpUserSortField, string> = {
  createdAt: 'created_at %',
  updatedAt: 'updated_at %',
  email: 'email %',
  allowedDownloadsNum: '(allowed_downloads_num < 0) %, allowed_downloads_num %',
  lastLoginDate: 'last_login_date % NULLS LAST',
  lastDownloadDate: 'last_download_date % NULLS LAST',
};

/** One page of a store's users as SQL; with `email`, only those whose address contains it. */
function otpUserPageSql(
  scope: OtpUserScope,
  filter: Omit<ListOtpUsersFilter, 'email'> & {
    sort: { field: OtpUserSortField; direction: 'asc' | 'desc' };
  },
  email: string | null,
  extraColumns = '',
): [string, unknown[], string, unknown[]] {
  const direction = filter.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const { skip, take } = skipTake(filter);
  const params: unknown[] = [scope.organizationId, scope.storeId];
  let where = 'organization_id = $1 AND store_id = $2';
  if (email !== null) {
    // Emails are stored lower-case, so a lower-cased LIKE is the case-insensitive match.
    params.push(`%${escapeLike(email.toLowerCase())}%`);
    where += ` AND email LIKE $${params.length}`;
  }
  if (filter.publishedApplicationId) {
    params.push(filter.publishedApplicationId);
    where += ` AND published_application_id = $${params.length}`;
  }
  if (filter.downloadsLeft !== undefined) {
    // The first two terms are the predicate of otp_user_near_allowance_idx, written as it is, so
    // the planner reads only that index's users (those with two downloads or fewer left).
    params.push(Math.min(Math.max(Math.trunc(filter.downloadsLeft), 0), 2));
    where += ` AND allowed_downloads_num >= 0 AND downloads_count >= allowed_downloads_num - 2 AND downloads_count >= allowed_downloads_num - $${params.length}`;
  }
  const whereParams = [...params];
  params.push(take, skip);
  const order = SORT_TERMS[filter.sort.field].replaceAll('%', direction);
  return [
    `SELECT ${OTP_USER_COLUMNS}${extraColumns}
       FROM otp_user
      WHERE ${where}
      ORDER BY ${order}, id ${direction}
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
    where,
    whereParams,
  ];
}

/**
 * An email search (or the near-allowance filter) reads its index once for the page and its exact
 * total together (`count(*) OVER ()` is taken before LIMIT): with a million users that scan is
 * most of the cost, and doing it twice (page, then count) doubled it.
 */
async function searchOtpUsers(
  db: Db,
  scope: OtpUserScope,
  filter: Omit<ListOtpUsersFilter, 'email'> & {
    email: string | null;
    sort: { field: OtpUserSortField; direction: 'asc' | 'desc' };
  },
): Promise<Page<OtpUserDto>> {
  const { skip } = skipTake(filter);
  const [sql, params, where, whereParams] = otpUserPageSql(
    scope,
    filter,
    filter.email,
    ', count(*) OVER () AS total_docs',
  );
  const { rows } = await sqlPool(db).query<OtpUserSqlRow & { total_docs: string }>(sql, params);
  let totalDocs = rows.length > 0 ? Number(rows[0]!.total_docs) : 0;
  if (rows.length === 0 && skip > 0) {
    // A page past the end has no row to carry the total.
    const count = await sqlPool(db).query<{ n: string }>(
      `SELECT count(*) AS n FROM otp_user WHERE ${where}`,
      whereParams,
    );
    totalDocs = Number(count.rows[0]!.n);
  }
  return toPage(rows.map(otpUserFromSql), totalDocs, filter);
}

/**
 * Without an email search the total is a maintained counter (one row), not a count over what may
 * be a million users.
 */
async function countOtpUsers(
  db: Db,
  store: { id: string; otpUserCount: number },
  filter: ListOtpUsersFilter,
): Promise<number> {
  if (!filter.publishedApplicationId) return store.otpUserCount;
  const app = await db.publishedApplication.findFirst({
    where: { id: filter.publishedApplicationId, storeId: store.id },
    select: { otpUserCount: true },
  });
  return app?.otpUserCount ?? 0;
}

/**
 * How many downloads each of these users (of one store, at most a page of them) has used: the
 * console shows it beside the allowance. Not part of the OTP user the REST surface documents.
 */
export async function getOtpUsersUsage(
  db: Db,
  scope: OtpUserScope,
  otpUserIds: string[],
): Promise<{ id: string; downloadsCount: number }[]> {
  // Another organization's store is not found, as for the list: never an empty answer that looks valid.
  await findStoreInOrganization(db, scope);
  const rows = await db.otpUser.findMany({
    where: { id: { in: otpUserIds }, storeId: scope.storeId, organizationId: scope.organizationId },
    select: { id: true, downloadsCount: true },
  });
  return rows.map((row) => ({ id: row.id, downloadsCount: Number(row.downloadsCount) }));
}

const OTP_USER_BY_ID_SQL = `SELECT ${OTP_USER_COLUMNS} FROM otp_user WHERE id = $1 AND store_id = $2 AND organization_id = $3`;

export async function getOtpUser(db: Db, scope: OtpUserScope, otpUserId: string): Promise<OtpUserDto> {
  const { rows } = await sqlPool(db).query<OtpUserSqlRow>({
    name: 'otp-user-by-id',
    text: OTP_USER_BY_ID_SQL,
    values: [otpUserId, scope.storeId, scope.organizationId],
  });
  const row = rows[0];
  if (!row) throw notFound();
  return otpUserFromSql(row);
}

export interface CreateOtpUsersData {
  email: string | string[];
  publishedApplicationId: string;
  allowedDownloadsNum?: number | undefined;
}

/** Default allowance of a new OTP user when the request names none: unlimited. */
export const DEFAULT_ALLOWED_DOWNLOADS = -1;

/** Creates one OTP user per email, all or none. An email already there (any case) is a 409. */
export async function createOtpUsers(
  db: Db,
  scope: OtpUserScope & Actor,
  data: CreateOtpUsersData,
  now: Date,
): Promise<OtpUserDto[]> {
  const emails = [...new Set(Array.isArray(data.email) ? data.email : [data.email])];
  const allowedDownloadsNum = BigInt(data.allowedDownloadsNum ?? DEFAULT_ALLOWED_DOWNLOADS);
  return db.$transaction(async (tx) => {
    const app = await tx.publishedApplication.findFirst({
      where: {
        id: data.publishedApplicationId,
        storeId: scope.storeId,
        store: { organizationId: scope.organizationId },
      },
      select: { id: true },
    });
    if (!app) throw notFound();
    const existing = await tx.otpUser.findMany({
      where: { publishedApplicationId: app.id, email: { in: emails } },
      select: { email: true },
    });
    if (existing.length > 0) {
      throw new AppError(ErrorCode.CONFLICT, {
        message: 'An OTP user with this email already exists for this published application',
        data: { emails: existing.map((e) => e.email) },
      });
    }
    const rows = await tx.otpUser.createManyAndReturn({
      data: emails.map((email) => ({
        id: newObjectId(now),
        organizationId: scope.organizationId,
        storeId: scope.storeId,
        publishedApplicationId: app.id,
        email,
        allowedDownloadsNum,
        createdAt: now,
        updatedAt: now,
      })),
      select: otpUserSelect,
    });
    await tx.store.update({
      where: { id: scope.storeId },
      data: { otpUserCount: { increment: rows.length } },
      select: { id: true },
    });
    await tx.publishedApplication.update({
      where: { id: app.id },
      data: { otpUserCount: { increment: rows.length } },
      select: { id: true },
    });
    await recordAudits(
      tx,
      rows.map((row) => ({
        organizationId: scope.organizationId,
        actor: scope.actor,
        action: 'otpUser.create',
        targetType: 'OtpUser',
        targetId: row.id,
        changes: { email: row.email, allowedDownloadsNum: Number(row.allowedDownloadsNum) },
      })),
    );
    const order = new Map(emails.map((email, index) => [email, index]));
    return rows.sort((a, b) => order.get(a.email)! - order.get(b.email)!).map(toOtpUserDto);
  });
}

export interface UpdateOtpUserData {
  allowedDownloadsNum?: number | undefined;
}

/**
 * The hot path of integrations (REST `PUT` of an OTP user): one statement instead of an
 * interactive transaction of four. The row is locked and read (its allowance before), updated
 * within the caller's organization and store, and the audit row is written by the same
 * statement, so the change and its audit land together or not at all. This is the one write
 * that does not go through `recordAudit` (services/audit.ts): calling it would need a transaction
 * around this statement and the insert, a second round trip on every request. The row it inserts
 * is the one `recordAudit` would write (a new id, the actor, 'otpUser.update', the changed
 * allowance from/to); keep the two in step.
 */
const UPDATE_OTP_USER_SQL = `
WITH target AS (
  SELECT id, allowed_downloads_num FROM otp_user
   WHERE id = $1 AND store_id = $2 AND organization_id = $3
   FOR UPDATE
), updated AS (
  UPDATE otp_user u
     SET allowed_downloads_num = COALESCE($4::bigint, u.allowed_downloads_num), updated_at = $5
    FROM target
   WHERE u.id = target.id
  RETURNING ${OTP_USER_COLUMNS.replace(/(^|, )/g, '$1u.')}, target.allowed_downloads_num AS before_allowed
), audit AS (
  INSERT INTO audit_event (id, organization_id, actor, action, target_type, target_id, changes, at)
  SELECT $6, $3, $7, 'otpUser.update', 'OtpUser', id,
         jsonb_build_object(
           'email', email,
           'allowedDownloadsNum', jsonb_build_object('from', before_allowed, 'to', $4::bigint)
         ),
         $5
    FROM updated
   WHERE $4::bigint IS NOT NULL
)
SELECT * FROM updated`;

export async function updateOtpUser(
  db: Db,
  scope: OtpUserScope & Actor,
  otpUserId: string,
  data: UpdateOtpUserData,
  now: Date,
): Promise<OtpUserDto> {
  // Named: each pooled connection parses and plans it once, not on every request.
  const { rows } = await sqlPool(db).query<OtpUserSqlRow>({
    name: 'otp-user-update',
    text: UPDATE_OTP_USER_SQL,
    values: [
      otpUserId,
      scope.storeId,
      scope.organizationId,
      data.allowedDownloadsNum ?? null,
      now,
      newObjectId(now),
      scope.actor,
    ],
  });
  const row = rows[0];
  if (!row) throw notFound();
  return otpUserFromSql(row);
}

export async function deleteOtpUser(db: Db, scope: OtpUserScope & Actor, otpUserId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // Not found in this organization's store: Prisma's P2025, answered as 404 by the error model.
    const deleted = await tx.otpUser.delete({
      where: { id: otpUserId, storeId: scope.storeId, organizationId: scope.organizationId },
      select: { publishedApplicationId: true, email: true },
    });
    await tx.store.update({
      where: { id: scope.storeId },
      data: { otpUserCount: { decrement: 1 } },
      select: { id: true },
    });
    await tx.publishedApplication.update({
      where: { id: deleted.publishedApplicationId },
      data: { otpUserCount: { decrement: 1 } },
      select: { id: true },
    });
    await recordAudit(tx, {
      organizationId: scope.organizationId,
      actor: scope.actor,
      action: 'otpUser.delete',
      targetType: 'OtpUser',
      targetId: otpUserId,
      // The row is gone: the log keeps who it was.
      changes: { email: deleted.email },
    });
  });
}

/** The user's downloads, newest first (one event per counted download). */
export async function listOtpUserDownloads(
  db: Db,
  scope: OtpUserScope,
  otpUserId: string,
  page: PageRequest,
) {
  const user = await db.otpUser.findFirst({
    where: { id: otpUserId, storeId: scope.storeId, organizationId: scope.organizationId },
    select: { id: true },
  });
  if (!user) throw notFound();
  const [rows, totalDocs] = await Promise.all([
    db.downloadEvent.findMany({
      where: { otpUserId: user.id },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      ...skipTake(page),
      select: { id: true, at: true },
    }),
    db.downloadEvent.count({ where: { otpUserId: user.id } }),
  ]);
  return toPage(
    rows.map((row) => ({ id: row.id, at: row.at.toISOString() })),
    totalDocs,
    page,
  );
}
