/**
 * The bare references: node:http + pg alone answering every path the scenarios load, with the
 * statements the app sends for that path (`statements.ts`, copied from what `pnpm --filter
 * @otp-access/bench run trace-sql` prints, which also checks that this server sends the same), and
 * the same JSON. No validation library, no router, no ORM: what is left of the app's time when
 * the framework is taken away. The ceiling each scenario's ratio is measured against, not a product.
 *   DATABASE_URL=... PORT=... BARE_CODE_KEY=<hex> BARE_SESSION_KEY=<hex> tsx src/bare-server.ts
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { SQL } from './statements';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
});
// The app checks limits on a pool of its own (services/limits.ts: max 4).
const limitsPool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const codeKey = Buffer.from(process.env.BARE_CODE_KEY ?? '', 'hex');
const sessionKey = Buffer.from(process.env.BARE_SESSION_KEY ?? '', 'hex');

const OTP_USERS = /^\/v1\/organizations\/([^/]+)\/stores\/([0-9a-f]{24})\/otp-users(?:\/([0-9a-f]{24}))?$/;
const MAX_CODE_ATTEMPTS = 5;
const VERIFY_PER_IP = { points: 60, durationMs: 600_000 };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// Same rows and answer as services/otp-user.ts on purpose: the bare reference must answer alike without the framework.
interface OtpUserRow {
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

/** Mirrors services/otp-user.ts toOtpUserDto / otpUserFromSql. */
const otpUserDto = (row: OtpUserRow) => ({
  id: row.id,
  organizationId: row.organization_id,
  storeId: row.store_id,
  publishedApplicationId: row.published_application_id,
  email: row.email,
  allowedDownloadsNum: Number(row.allowed_downloads_num),
  lastLoginDate: row.last_login_date?.toISOString() ?? null,
  lastDownloadDate: row.last_download_date?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Mirrors services/pagination.ts toPage. */
function toPage<T>(items: T[], totalDocs: number, page: number, limit: number) {
  const totalPages = Math.ceil(totalDocs / limit);
  return { items, totalDocs, limit, page, totalPages, hasNextPage: page < totalPages, hasPrevPage: page > 1 };
}

// Same shape as services/api-key-cache.ts's key on purpose: the bare reference must do the same work without the framework.
interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  permissions: string[];
  lastUsedAt: Date | null;
  organization: { id: string; slug: string; name: string };
}

/** Mirrors services/api-key-cache.ts: a key seen in the last 5 s costs no query. */
const keyCache = new Map<string, { key: ApiKey; expiresAt: number }>();

/** Mirrors services/api-key-auth.ts authenticateApiKey (with the cache the app runs with). */
async function authenticate(req: IncomingMessage, slug: string | undefined): Promise<ApiKey> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new HttpError(401, 4002, 'No auth token');
  const keyHash = createHash('sha256').update(match[1]!).digest('hex');
  const now = new Date();
  let key = keyCache.get(keyHash);
  if (!key || key.expiresAt <= now.getTime()) {
    const { rows } = await pool.query(SQL.apiKeyByHash, [keyHash, 1, 0]);
    const row = rows[0] as
      | {
          id: string;
          name: string;
          prefix: string;
          permissions: string[];
          revoked_at: Date | null;
          last_used_at: Date | null;
          organization_id: string;
        }
      | undefined;
    if (!row || row.revoked_at) throw new HttpError(401, 4004, 'Invalid token');
    const organization = await pool.query<{ id: string; slug: string; name: string }>(SQL.organizationById, [
      row.organization_id,
      0,
    ]);
    key = {
      key: {
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        permissions: row.permissions,
        lastUsedAt: row.last_used_at,
        organization: organization.rows[0]!,
      },
      expiresAt: now.getTime() + 5_000,
    };
    keyCache.set(keyHash, key);
  }
  const apiKey = key.key;
  if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() > 60_000) {
    apiKey.lastUsedAt = now;
    await pool.query(SQL.apiKeyTouch, [now, apiKey.id]);
  }
  // Mirrors trpc.ts organizationProcedure: another organization's slug is a 404.
  if (slug !== undefined && slug !== apiKey.organization.slug) throw new HttpError(404, 5001, 'Not found');
  return apiKey;
}

/** Mirrors services/otp-user.ts findStoreInOrganization. */
async function findStore(organizationId: string, storeId: string): Promise<{ otpUserCount: number }> {
  const { rows } = await pool.query({
    name: 'store-in-organization',
    text: SQL.storeInOrganization,
    values: [storeId, organizationId],
  });
  if (!rows[0]) throw new HttpError(404, 5001, 'Not found');
  return { otpUserCount: Number(rows[0].otp_user_count) };
}

/** Mirrors services/otp-user.ts listOtpUsers (default sort: createdAt desc). */
async function listOtpUsers(
  organizationId: string,
  storeId: string,
  filter: { page: number; limit: number; email?: string | undefined; sort?: string | undefined },
) {
  const skip = (filter.page - 1) * filter.limit;
  if (filter.email) {
    await findStore(organizationId, storeId);
    // Mirrors searchOtpUsersByEmail.
    const pattern = `%${filter.email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { rows } = await pool.query<OtpUserRow & { total_docs: string }>(SQL.searchByEmail, [
      organizationId,
      storeId,
      pattern,
      filter.limit,
      skip,
    ]);
    let totalDocs = rows.length > 0 ? Number(rows[0]!.total_docs) : 0;
    if (rows.length === 0 && skip > 0) {
      const count = await pool.query(SQL.countByEmail, [organizationId, storeId, pattern]);
      totalDocs = Number(count.rows[0].n);
    }
    return toPage(rows.map(otpUserDto), totalDocs, filter.page, filter.limit);
  }
  // Sorted by allowance: the hand-written statement (the other sorts are not benchmarked).
  const byAllowance = /^allowedDownloadsNum:(asc|desc)$/.exec(filter.sort ?? '');
  // The page runs beside the store's check, as the app's does.
  const [store, { rows }] = await Promise.all([
    findStore(organizationId, storeId),
    pool.query<OtpUserRow>(
      byAllowance ? SQL.listPageByAllowance(byAllowance[1] === 'asc' ? 'ASC' : 'DESC') : SQL.listPage,
      [organizationId, storeId, filter.limit, skip],
    ),
  ]);
  return toPage(rows.map(otpUserDto), store.otpUserCount, filter.page, filter.limit);
}

/** Mirrors services/limits.ts consume(['verifyPerIp', ip]) through rate-limiter-flexible. */
async function consumeVerifyLimit(ip: string): Promise<void> {
  const now = Date.now();
  const { rows } = await limitsPool.query(SQL.rateLimitConsume, [
    `verifyPerIp:${ip}`,
    1,
    now + VERIFY_PER_IP.durationMs,
    now,
  ]);
  if (Number(rows[0].points) > VERIFY_PER_IP.points) throw new HttpError(429, 7001, 'Too many requests');
}

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** Mirrors services/store-access.ts issueStoreSession (jose's HS256 JWT, by hand). */
function storeSessionToken(storeId: string, email: string, subjectId: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = base64url(JSON.stringify({ alg: 'HS256' }));
  const payload = base64url(
    JSON.stringify({
      email,
      store: storeId,
      iss: 'otp-access',
      aud: 'store',
      sub: subjectId,
      iat,
      exp: iat + 3600,
    }),
  );
  const signature = createHmac('sha256', sessionKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Mirrors services/store-access.ts verifyStoreCode and services/otp-codes.ts verifyCode. */
async function verifyStoreCode(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const input = JSON.parse(await readBody(req)) as { storeId: string; email: string; code: string };
  const ip = String(req.headers['x-forwarded-for'] ?? req.socket.remoteAddress)
    .split(',')[0]!
    .trim();
  await consumeVerifyLimit(ip);
  const now = new Date();
  const subjectId = createHash('sha256')
    .update(`store-login:${input.storeId}:${input.email}`)
    .digest('hex')
    .slice(0, 24);
  const refused = () => new HttpError(401, 4001, 'Invalid or expired code');
  const claimed = await pool.query<{ id: string; code_hash: string }>({
    name: 'otp-code-claim-try',
    text: SQL.claimTry,
    values: ['STORE_LOGIN', subjectId, now, null, MAX_CODE_ATTEMPTS],
  });
  const code = claimed.rows[0];
  if (!code) throw refused();
  const given = createHmac('sha256', codeKey)
    .update(`STORE_LOGIN:${subjectId}:${input.code.trim()}`)
    .digest();
  const expected = Buffer.from(code.code_hash, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw refused();
  const consumed = await pool.query({
    name: 'otp-code-consume',
    text: SQL.consumeCode,
    values: [code.id, now],
  });
  if (consumed.rowCount !== 1) throw refused();
  await pool.query({
    name: 'otp-user-signed-in',
    text: SQL.touchLastLogin,
    values: [input.storeId, input.email, now],
  });
  const token = storeSessionToken(input.storeId, input.email, subjectId, now);
  send(
    res,
    200,
    { result: { data: { storeId: input.storeId, email: input.email } } },
    { 'set-cookie': `ota_store_session=${token}; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax` },
  );
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bare');
  if (url.pathname === '/') return send(res, 200, { status: true });
  const rest = OTP_USERS.exec(url.pathname);
  if (rest) {
    const [, slug, storeId, otpUserId] = rest as unknown as [string, string, string, string | undefined];
    const key = await authenticate(req, slug);
    const organizationId = key.organization.id;
    if (req.method === 'GET' && otpUserId) {
      // Mirrors services/otp-user.ts getOtpUser.
      const { rows } = await pool.query<OtpUserRow>({
        name: 'otp-user-by-id',
        text: SQL.otpUserById,
        values: [otpUserId, storeId, organizationId],
      });
      if (!rows[0]) throw new HttpError(404, 5001, 'Not found');
      return send(res, 200, { status: true, data: otpUserDto(rows[0]) });
    }
    if (req.method === 'PUT' && otpUserId) {
      // Mirrors services/otp-user.ts updateOtpUser (one statement: lock, update, audit row).
      const body = JSON.parse(await readBody(req)) as { allowedDownloadsNum?: number };
      const now = new Date();
      const { rows } = await pool.query<OtpUserRow>({
        name: 'otp-user-update',
        text: SQL.updateOtpUser,
        values: [
          otpUserId,
          storeId,
          organizationId,
          body.allowedDownloadsNum ?? null,
          now,
          newObjectId(now),
          `apiKey:${key.id} (${key.name}, ${key.prefix}…)`,
        ],
      });
      if (!rows[0]) throw new HttpError(404, 5001, 'Not found');
      return send(res, 200, { status: true, data: otpUserDto(rows[0]) });
    }
    if (req.method === 'GET') {
      const page = await listOtpUsers(organizationId, storeId, {
        page: Number(url.searchParams.get('page') ?? 1),
        limit: Number(url.searchParams.get('limit') ?? 20),
        email: url.searchParams.get('email') ?? undefined,
        sort: url.searchParams.get('sort') ?? undefined,
      });
      return send(res, 200, { status: true, data: page });
    }
  }
  if (req.method === 'GET' && url.pathname === '/api/trpc/otpUser.list') {
    const key = await authenticate(req, undefined);
    const input = JSON.parse(url.searchParams.get('input') ?? '{}') as {
      storeId: string;
      page?: number;
      limit?: number;
      email?: string;
    };
    const page = await listOtpUsers(key.organization.id, input.storeId, {
      page: input.page ?? 1,
      limit: input.limit ?? 20,
      email: input.email,
    });
    return send(res, 200, { result: { data: page } });
  }
  if (req.method === 'POST' && url.pathname === '/api/trpc/storeAccess.verifyCode')
    return verifyStoreCode(req, res);
  throw new HttpError(404, 5001, 'Not found');
}

/** Mirrors @otp-access/db newObjectId: 4 bytes of seconds, 8 random bytes. */
function newObjectId(now: Date): string {
  const id = Buffer.alloc(12);
  id.writeUInt32BE(Math.floor(now.getTime() / 1000));
  randomBytes(8).copy(id, 4);
  return id.toString('hex');
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    if (error instanceof HttpError)
      return send(res, error.status, { status: false, error: { code: error.code, message: error.message } });
    send(res, 500, { status: false, error: { code: 1000, message: String(error) } });
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => {
  server.close();
  void Promise.all([pool.end(), limitsPool.end()]).then(() => process.exit(0));
});
