/**
 * The bare reference for builds: node:http alone streaming one file with `fs.createReadStream`
 * (what serving a build costs with no session, no database and no framework), and receiving an
 * upload the way the app must at least receive one (the body hashed with SHA-256 on its way to a
 * file on the same disk). The ceiling the download and upload scenarios are measured against.
 *   BARE_FILE=<the build the app serves> BARE_UPLOAD_DIR=<dir> PORT=... tsx src/bare-file-server.ts
 *
 * - `GET /file`: the whole of BARE_FILE, with its length and a download's headers.
 * - `POST /upload`: the body (the same multipart request the app gets, framing included) to a
 *   temporary file under BARE_UPLOAD_DIR, then removed; answers its size and SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const file = process.env.BARE_FILE ?? '';
const uploadDir = process.env.BARE_UPLOAD_DIR ?? '';

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

const server = createServer((req, res) => {
  const pathname = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && pathname === '/') return send(res, 200, { status: true });
  if (req.method === 'GET' && pathname === '/file') {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return send(res, 404, { status: false });
    }
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${path.basename(file)}"`,
      'cache-control': 'no-store',
    });
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
    return;
  }
  if (req.method === 'POST' && pathname === '/upload') {
    const target = path.join(uploadDir, `${Date.now()}-${randomBytes(8).toString('hex')}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    void mkdir(uploadDir, { recursive: true })
      .then(() => pipeline(req, measure, createWriteStream(target, { flags: 'wx' })))
      .then(
        () => send(res, 200, { status: true, data: { size, sha256: hash.digest('hex') } }),
        () => send(res, 400, { status: false }),
      )
      .finally(() => rm(target, { force: true }));
    return;
  }
  send(res, 404, { status: false });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening on ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
