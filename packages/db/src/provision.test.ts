/**
 * What a start does to the database: `pnpm start` provisions with `seed: 'auto'`. A production
 * database (DATABASE_URL) starts empty and no credential is printed; the demo only when asked.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from './client';
import { wantsDemoSeed } from './env';
import { provisionDatabase } from './provision';
import { createScratchDatabase, type ScratchDatabase } from './testing';

let scratch: ScratchDatabase | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  await scratch?.drop();
  scratch = undefined;
});

async function startOnEmptyDatabase(env: { SEED_DEMO?: 'true' | 'false' }) {
  scratch = await createScratchDatabase();
  vi.stubEnv('DATABASE_URL', scratch.connectionString);
  vi.stubEnv('SEED_DEMO', env.SEED_DEMO);
  const lines: string[] = [];
  const database = await provisionDatabase({ seed: 'auto', log: (line) => lines.push(line) });
  await database.stop();
  const db = createDb({ connectionString: scratch.connectionString, max: 1 });
  try {
    const [organizations, admins, apiKeys] = await Promise.all([
      db.organization.count(),
      db.adminUser.count(),
      db.apiKey.count(),
    ]);
    return { organizations, admins, apiKeys, lines };
  } finally {
    await db.$disconnect();
  }
}

describe('start-up provisioning', () => {
  it('a production start on an empty database creates nothing and prints no credential', async () => {
    const start = await startOnEmptyDatabase({});
    expect({ ...start, lines: undefined }).toEqual({
      organizations: 0,
      admins: 0,
      apiKeys: 0,
      lines: undefined,
    });
    expect(start.lines.join('\n')).not.toMatch(/key|password|Generated/i);
  });

  it('seeds the demo on a production database only with SEED_DEMO=true', async () => {
    const start = await startOnEmptyDatabase({ SEED_DEMO: 'true' });
    expect(start).toMatchObject({ organizations: 2, admins: 2, apiKeys: 2 });
    expect(start.lines.filter((line) => line.includes('(shown once)')).length).toBeGreaterThan(0);
  });

  it('decides the demo by mode unless SEED_DEMO says otherwise', () => {
    const url = 'postgresql://db.example/otp';
    expect(wantsDemoSeed({ DATABASE_URL: undefined, SEED_DEMO: undefined })).toBe(true);
    expect(wantsDemoSeed({ DATABASE_URL: url, SEED_DEMO: undefined })).toBe(false);
    expect(wantsDemoSeed({ DATABASE_URL: url, SEED_DEMO: 'true' })).toBe(true);
    expect(wantsDemoSeed({ DATABASE_URL: undefined, SEED_DEMO: 'false' })).toBe(false);
  });
});
