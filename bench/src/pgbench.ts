import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './processes';

export interface PgbenchResult {
  clients: number;
  tps: number;
  latencyAverageMs: number;
  transactions: number;
}

/**
 * pgbench running only the PUT's two statements (key lookup, then `UPDATE ... RETURNING` of a
 * random sampled user from bench_ids): what PostgreSQL itself can do on this machine.
 */
export async function runPgbench(options: {
  connectionString: string;
  keyHash: string;
  storeId: string;
  clients: number;
  durationSeconds: number;
  sampleSize: number;
}): Promise<PgbenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'otp-access-pgbench-'));
  const script = path.join(dir, 'put.sql');
  writeFileSync(
    script,
    [
      `\\set n random(1, ${options.sampleSize})`,
      `\\set allowed random(0, 99)`,
      `SELECT k.organization_id, o.slug, k.permissions FROM api_key k JOIN organization o ON o.id = k.organization_id WHERE k.key_hash = '${options.keyHash}' AND k.revoked_at IS NULL;`,
      `UPDATE otp_user SET allowed_downloads_num = :allowed, updated_at = now() WHERE id = (SELECT id FROM bench_ids WHERE n = :n) AND store_id = '${options.storeId}' RETURNING *;`,
      '',
    ].join('\n'),
  );
  const url = new URL(options.connectionString);
  try {
    const out = await runCommand(
      'pgbench',
      [
        '-n',
        '-M',
        'prepared',
        '-c',
        String(options.clients),
        '-j',
        '2',
        '-T',
        String(options.durationSeconds),
        '-f',
        script,
        '-h',
        url.hostname,
        '-p',
        url.port || '5432',
        '-U',
        decodeURIComponent(url.username || 'postgres'),
        url.pathname.slice(1),
      ],
      url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {},
    );
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
    const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1] ?? Number.NaN);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(out)?.[1] ?? 0);
    return { clients: options.clients, tps, latencyAverageMs: latency, transactions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
