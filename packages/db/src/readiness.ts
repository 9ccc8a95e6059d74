import { readdir } from 'node:fs/promises';
import type { Db } from './client';
import { migrationsDir } from './paths';

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable';
  /** Migrations of this release not (successfully) applied to the database. */
  pendingMigrations: string[];
}

/** Ready = the database answers and has every migration this build ships. */
export async function checkReadiness(db: Db, timeoutMs = 2_000): Promise<Readiness> {
  const expected = (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  let timer: NodeJS.Timeout | undefined;
  try {
    const applied = await Promise.race([
      db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      }),
    ]);
    const done = new Set(applied.map((row) => row.migration_name));
    const pendingMigrations = expected.filter((name) => !done.has(name));
    return { ready: pendingMigrations.length === 0, database: 'ok', pendingMigrations };
  } catch {
    return { ready: false, database: 'unreachable', pendingMigrations: [] };
  } finally {
    clearTimeout(timer);
  }
}
