/**
 * The database process of `startDatabaseProcess`: provisions, reports the connection string to its
 * parent, then either exits (external database) or serves the embedded one until told to stop or
 * until the parent is gone.
 */
import type { DatabaseReady } from '../database-process';
import { provisionDatabase } from '../provision';

if (!process.send) {
  console.error('Start this through startDatabaseProcess (it needs an IPC channel to its parent).');
  process.exit(2);
}

const database = await provisionDatabase({
  seed: process.argv.includes('--seed=auto') ? 'auto' : process.argv.includes('--seed'),
});
const ready: DatabaseReady = { connectionString: database.connectionString, embedded: database.embedded };
process.send(ready);

if (!database.embedded) {
  process.disconnect();
} else {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await database.stop().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  // Ctrl-C reaches the whole process group; the server stops us when it is done with us.
  process.on('SIGINT', () => {});
  // The server died without stopping us (kill -9): do not outlive it.
  process.on('disconnect', () => void stop());
}
