import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProvisionedDatabase } from './provision';

/** What the database process reports once the database is migrated (and seeded). */
export interface DatabaseReady {
  connectionString: string;
  embedded: boolean;
}

/**
 * Provisions the database in a process of its own (`provisionDatabase`: DATABASE_URL or the
 * embedded PGlite, migrations, the demo seed when asked). Migrating loads Prisma's schema engine (WebAssembly,
 * ~140 MB that is never returned) and PGlite is a whole database; neither belongs in the memory
 * of the server that answers requests. With DATABASE_URL the process exits once the database is
 * ready; the embedded database lives in it until `stop()` (or until this process dies).
 */
export async function startDatabaseProcess(
  options: { seed?: boolean | 'auto' } = {},
): Promise<ProvisionedDatabase> {
  // From source (tsx, which the child inherits through execArgv) the CLI module itself; compiled,
  // its build next to this one (`database-process-main` in dist/, see the package's build script).
  const entry = fileURLToPath(
    import.meta.url.endsWith('.ts')
      ? new URL('./cli/database-process.ts', import.meta.url)
      : new URL('./database-process-main.js', import.meta.url),
  );
  const seedArgs = options.seed === 'auto' ? ['--seed=auto'] : options.seed ? ['--seed'] : [];
  const child = fork(entry, seedArgs, { stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await Promise.race([
    new Promise<DatabaseReady>((resolve) =>
      child.once('message', (message) => resolve(message as DatabaseReady)),
    ),
    exited.then((code) => {
      throw new Error(`The database could not be prepared (exit code ${code}); see the messages above.`);
    }),
  ]);
  let stopping = false;
  if (ready.embedded) {
    // The embedded database going away is fatal for the server; say so instead of failing requests.
    void exited.then((code) => {
      if (!stopping) {
        console.error(`The embedded database process exited (code ${code}); stopping.`);
        process.exit(1);
      }
    });
  }
  return {
    connectionString: ready.connectionString,
    embedded: ready.embedded,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
