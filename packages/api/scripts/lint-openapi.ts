/**
 * Lints the OpenAPI document with Redocly's recommended rules, warnings counted as errors
 * (`recommended-strict`, openapi/redocly.yaml). Part of `pnpm lint`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildOpenApiDocument } from '../src/rest/openapi';

const dir = path.join(import.meta.dirname, '..', 'openapi');
const out = path.join(dir, 'build');
mkdirSync(out, { recursive: true });
// A fixed path: the ignore file (openapi/.redocly.lint-ignore.yaml) names problems by file.
const file = path.join(out, 'openapi.json');
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);

const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const result = spawnSync(
  process.execPath,
  [cli, 'lint', path.relative(dir, file), '--config', 'redocly.yaml', '--format', 'stylish'],
  {
    cwd: dir,
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);
process.exit(result.status ?? 1);
