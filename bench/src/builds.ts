/**
 * What the build scenarios need, made the way a customer makes it: an application in the big
 * store, a build uploaded through the REST API with an API key and published, and OTP users of
 * that application (unlimited allowance) signed in to the store with a code. Only what the API
 * has no call for (an allowance reset, codes for the sign-in) is written in SQL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { CODE, DEMO_KEY, SESSION_SECRET } from './config';
import { type BenchDatabase, issueStoreCodes } from './database';
import { multipartUpload, postUpload } from './transfer';

/** The application the build scenarios publish to, and its OTP users' addresses. */
export const BENCH_APPLICATION = 'Bench builds';
const userEmail = (i: number) => `download-${i}@bench-downloads.example`;
/** Matches the download users in SQL (kept out of the samples the other scenarios load). */
export const DOWNLOAD_USERS_LIKE = '%@bench-downloads.example';

export interface BuildSetup {
  applicationId: string;
  buildId: string;
  /** The published build's file in the app's local storage (the bare file server streams it). */
  storedFile: string;
  size: number;
  sha256: string;
  /** `/api/store/{store}/apps/{application}/download` */
  downloadPath: string;
  /** `/v1/organizations/demo/stores/{store}/published-applications/{application}/builds` */
  buildsPath: string;
  /** One store session cookie per download user. */
  cookies: string[];
}

/** `mb` MiB of random bytes (incompressible, like a real package) and their SHA-256. */
export async function makeBuildFile(dir: string, mb: number): Promise<{ file: string; sha256: string }> {
  const file = path.join(dir, 'bench-build.bin');
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let i = 0; i < mb; i++) {
    const chunk = randomBytes(2 ** 20);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { file, sha256: hash.digest('hex') };
}

async function api<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${DEMO_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as { status: boolean; data: T };
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** One multipart upload (`curl -F file=@… -F publish=…`); the build as the API answers it. */
export async function uploadBuildOnce(
  url: string,
  file: string,
  fields: Record<string, string>,
): Promise<{ id: string; size: number; sha256: string }> {
  const upload = multipartUpload(file, path.basename(file), fields);
  const { statusCode, text } = await postUpload(url, upload, { authorization: `Bearer ${DEMO_KEY}` });
  if (statusCode !== 200) throw new Error(`Upload: ${statusCode} ${text}`);
  return (JSON.parse(text) as { data: { id: string; size: number; sha256: string } }).data;
}

/** SHA-256 of one whole download, to check a server serves the build byte for byte. */
export function downloadHash(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return reject(new Error(`GET ${url}: ${response.statusCode}`));
        }
        const hash = createHash('sha256');
        response.on('data', (chunk: Buffer) => hash.update(chunk));
        response.on('end', () => resolve(hash.digest('hex')));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/**
 * The bench application with `users` OTP users (created once, through the API), every one of them
 * unlimited and with no downloads counted, and `file` uploaded and published as its build.
 */
export async function prepareBuilds(options: {
  appUrl: string;
  database: BenchDatabase;
  dataDir: string;
  file: string;
  users: number;
  log: (line: string) => void;
}): Promise<BuildSetup> {
  const { database, appUrl } = options;
  const store = `${appUrl}/v1/organizations/${database.big.organizationSlug}/stores/${database.big.storeId}`;
  const apps = await api<{ items: { id: string; name: string }[] }>(
    `${store}/published-applications?limit=100`,
    'GET',
  );
  let applicationId = apps.items.find((app) => app.name === BENCH_APPLICATION)?.id;
  if (!applicationId) {
    applicationId = (
      await api<{ id: string }>(`${store}/published-applications`, 'POST', { name: BENCH_APPLICATION })
    ).id;
    options.log(`Created the application "${BENCH_APPLICATION}" through the API`);
  }
  const emails = Array.from({ length: options.users }, (_, i) => userEmail(i + 1));
  const client = new pg.Client({ connectionString: database.connectionString });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(
      'SELECT email FROM otp_user WHERE published_application_id = $1',
      [applicationId],
    );
    const present = new Set(rows.map((row) => row.email));
    const missing = emails.filter((email) => !present.has(email));
    if (missing.length > 0) {
      await api(`${store}/otp-users`, 'POST', {
        email: missing,
        publishedApplicationId: applicationId,
        allowedDownloadsNum: -1,
      });
      options.log(
        `Added ${missing.length} OTP users (unlimited downloads) to "${BENCH_APPLICATION}" through the API`,
      );
    }
    // Unlimited, nothing counted: whatever an earlier run (or a person) left, every download of
    // this run is allowed and counted once, from zero.
    await client.query(
      `UPDATE otp_user SET allowed_downloads_num = -1, downloads_count = 0
        WHERE published_application_id = $1 AND (allowed_downloads_num <> -1 OR downloads_count <> 0)`,
      [applicationId],
    );
  } finally {
    await client.end();
  }

  const buildsPath = `/v1/organizations/${database.big.organizationSlug}/stores/${database.big.storeId}/published-applications/${applicationId}/builds`;
  const build = await uploadBuildOnce(`${appUrl}${buildsPath}`, options.file, { publish: 'true' });
  const storedFile = path.join(options.dataDir, 'builds', database.big.organizationId, 'builds', build.id);
  if (!existsSync(storedFile)) throw new Error(`The uploaded build is not at ${storedFile}`);
  options.log(
    `Uploaded and published ${path.basename(options.file)} (${build.size} bytes) as build ${build.id}`,
  );

  // Each download user signs in to the store with a code, as in the browser (the codes are
  // issued in SQL as the app stores them: no mail to send).
  const users = emails.map((email) => ({ email }));
  await issueStoreCodes(database.connectionString, database.big.storeId, users, CODE, SESSION_SECRET);
  const cookies: string[] = [];
  for (const [i, email] of emails.entries()) {
    const response = await fetch(`${appUrl}/api/trpc/storeAccess.verifyCode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // A visitor address of its own, well apart from the verify scenario's.
        'x-forwarded-for': `192.0.2.${1 + (i % 250)}`,
      },
      body: JSON.stringify({ storeId: database.big.storeId, email, code: CODE }),
    });
    const cookie = /ota_store_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
    if (!response.ok || !cookie)
      throw new Error(`Store sign-in of ${email}: ${response.status} ${await response.text()}`);
    cookies.push(cookie);
  }
  return {
    applicationId,
    buildId: build.id,
    storedFile,
    size: build.size,
    sha256: build.sha256,
    downloadPath: `/api/store/${database.big.storeId}/apps/${applicationId}/download`,
    buildsPath,
    cookies,
  };
}

/** Removes the builds an upload window left (through the API, which removes their files too). */
export async function deleteBuilds(
  appUrl: string,
  buildsPath: string,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) await api(`${appUrl}${buildsPath}/${id}`, 'DELETE');
}
