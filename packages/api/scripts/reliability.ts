/**
 * `pnpm test:reliability`: runs the reliability suite (src/reliability) at a larger scale than
 * `pnpm test` does, then prints every test's figures as the markdown table docs/reliability.md
 * keeps. Needs DATABASE_URL (the root script provides one).
 *
 * On the embedded database the load tests run at scale 1, as in `pnpm test`: it is one
 * single-threaded session for every connection, on the same cores as the app and the load, and
 * the outage test's fifty workers measure its queue rather than the app. The figures in
 * docs/reliability.md come from a real PostgreSQL (DATABASE_URL).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isEmbedded } from '@otp-access/db/testing';

const embedded = await isEmbedded(process.env.DATABASE_URL!);
const scale = process.env.RELIABILITY_SCALE ?? (embedded ? '1' : '5');
if (embedded && !process.env.RELIABILITY_SCALE) {
  console.log(
    'Embedded database: running at scale 1. Set DATABASE_URL to a PostgreSQL server for the full scale (5).',
  );
}
const dir = mkdtempSync(path.join(tmpdir(), 'otp-access-reliability-'));
const figuresFile = path.join(dir, 'figures.jsonl');
const started = Date.now();
const result = spawnSync('pnpm', ['exec', 'vitest', 'run', 'src/reliability', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: {
    ...process.env,
    RELIABILITY_FIGURES_FILE: figuresFile,
    RELIABILITY_SCALE: scale,
  },
});

let lines: { test: string; figures: Record<string, number | string> }[] = [];
try {
  lines = readFileSync(figuresFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
} catch {
  // No test reported figures (e.g. all filtered out).
}
rmSync(dir, { recursive: true, force: true });

console.log(
  `\n## Figures (${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s, scale ${scale})\n`,
);
console.log('| Test | Figures |');
console.log('| --- | --- |');
for (const { test, figures } of lines.sort((a, b) => a.test.localeCompare(b.test))) {
  const text = Object.entries(figures)
    .map(([name, value]) => `${name}: ${typeof value === 'number' ? value.toLocaleString('en-US') : value}`)
    .join(', ');
  console.log(`| ${test} | ${text} |`);
}
process.exit(result.status ?? 1);
