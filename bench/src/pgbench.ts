import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from './processes';
import { SQL } from './statements';

export interface PgbenchResult {
  clients: number;
  tps: number;
  latencyAverageMs: number;
  transactions: number;
}

/**
 * pgbench running only the PUT's statement (the app's update with its audit row; the key lookup is
 * cached by the app) on a random sampled user from bench_ids: what PostgreSQL itself does with the
 * PUT on this machine, the figure that says whether the database moved between runs.
 */
export async function runPgbench(options: {
  connectionString: string;
  storeId: string;
  organizationId: string;
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
      `${pgbenchPut(options.storeId, options.organizationId).replace(/\s+/g, ' ').trim()};`,
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

/** The app's PUT statement with pgbench variables for its parameters. */
function pgbenchPut(storeId: string, organizationId: string): string {
  const values: Record<string, string> = {
    $1: '(SELECT id FROM bench_ids WHERE n = :n)',
    $2: `'${storeId}'`,
    $3: `'${organizationId}'`,
    $4: ':allowed',
    $5: 'now()',
    $6: 'substr(md5(random()::text), 1, 24)',
    $7: "'pgbench'",
  };
  return SQL.updateOtpUser.replace(/\$[1-7]\b/g, (parameter) => values[parameter]!);
}
