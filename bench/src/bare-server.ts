/**
 * The reference point for the PUT scenario: what node:http + pg alone do with the same work —
 * look the API key up by its hash, then `UPDATE ... RETURNING` the OTP user, answer the same JSON.
 * No validation library, no router, no ORM, no audit: the ceiling, not a product.
 *   DATABASE_URL=... PORT=... tsx src/bare-server.ts
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_MAX ?? 10),
});
const PUT_PATH = /^\/v1\/organizations\/([^/]+)\/stores\/([0-9a-f]{24})\/otp-users\/([0-9a-f]{24})$/;

function send(res: import('node:http').ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const match = req.method === 'PUT' ? PUT_PATH.exec(req.url ?? '') : null;
      if (!match) return send(res, 404, { status: false, error: { code: 5001, message: 'Not found' } });
      const key = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!key) return send(res, 401, { status: false, error: { code: 4002, message: 'No auth token' } });
      const keys = await pool.query<{ organization_id: string; slug: string; permissions: string[] }>(
        `SELECT k.organization_id, o.slug, k.permissions
           FROM api_key k JOIN organization o ON o.id = k.organization_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
        [createHash('sha256').update(key).digest('hex')],
      );
      const principal = keys.rows[0];
      if (!principal || principal.slug !== match[1])
        return send(res, 401, { status: false, error: { code: 4004, message: 'Invalid token' } });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { allowedDownloadsNum?: number };
      const updated = await pool.query(
        `UPDATE otp_user SET allowed_downloads_num = $1, updated_at = now()
          WHERE id = $2 AND store_id = $3 AND organization_id = $4
          RETURNING id, organization_id, store_id, published_application_id, email, allowed_downloads_num,
                    last_login_date, last_download_date, created_at, updated_at`,
        [body.allowedDownloadsNum ?? -1, match[3], match[2], principal.organization_id],
      );
      const row = updated.rows[0];
      if (!row) return send(res, 404, { status: false, error: { code: 5001, message: 'Not found' } });
      send(res, 200, {
        status: true,
        data: {
          id: row.id,
          organizationId: row.organization_id,
          storeId: row.store_id,
          publishedApplicationId: row.published_application_id,
          email: row.email,
          allowedDownloadsNum: Number(row.allowed_downloads_num),
          lastLoginDate: row.last_login_date,
          lastDownloadDate: row.last_download_date,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        },
      });
    } catch (error) {
      send(res, 500, { status: false, error: { code: 1000, message: String(error) } });
    }
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
