/**
 * Runs a command with DATABASE_URL pointing at a migrated database:
 *   tsx src/cli/with-database.ts [--memory] [--seed] -- <command> [args...]
 * With DATABASE_URL already set it only migrates that database; otherwise it starts the embedded
 * one for the command's lifetime.
 */
import { spawn } from 'node:child_process';
import { provisionDatabase } from '../provision';

const separator = process.argv.indexOf('--');
const flags = process.argv.slice(2, separator === -1 ? undefined : separator);
const command = separator === -1 ? [] : process.argv.slice(separator + 1);
if (command.length === 0) {
  console.error('usage: with-database [--memory] [--seed] -- <command> [args...]');
  process.exit(2);
}

const database = await provisionDatabase({
  memory: flags.includes('--memory'),
  seed: flags.includes('--seed'),
});
const child = spawn(command[0]!, command.slice(1), {
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: database.connectionString },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}
const code = await new Promise<number>((resolve) => {
  child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(error.message);
    resolve(127);
  });
});
await database.stop();
process.exit(code);
