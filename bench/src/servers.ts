import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type ServerProcess, startServer } from './processes';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(benchDir, '..');
const probeModule = path.join(benchDir, 'src/probe.ts');

/** What the probe loaded into the app reports for one window (see probe.ts). */
export interface ProbeWindow {
  seconds: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  gc: { count: number; totalMs: number; longestMs: number; byKind: Record<string, number> };
  rssPeakMb: number;
  heapUsedMb: number;
  profile: string | null;
}

export interface AppServer extends ServerProcess {
  /** Opens a probe window (event loop, GC pauses, and a CPU profile when `profile`). */
  openWindow(options?: { profile?: boolean }): void;
  /** Closes the open window and returns what the probe measured in it. */
  closeWindow(): Promise<ProbeWindow>;
}

/**
 * The probe for the app server, compiled: that server runs plain JavaScript (no tsx to load a
 * .ts module). Written beside the sources so its `pg` is the app's (bench/node_modules).
 */
async function compiledProbe(): Promise<string> {
  const outfile = path.join(benchDir, 'dist/probe.mjs');
  await build({
    entryPoints: [probeModule],
    outfile,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * The command `pnpm start` runs after the build (apps/web's `serve` script), run directly so the
 * probe can be added before the script: `node <its flags> --import <probe> dist/server/main.js`.
 */
function serveCommand(probe: string): { command: string[]; script: string } {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'apps/web/package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.serve!.split(/\s+/);
  const script = words.at(-1)!;
  if (words[0] !== 'node' || !script.endsWith('.js'))
    throw new Error(`apps/web's serve script is no longer "node … <script>.js": ${pkg.scripts.serve}`);
  return { command: [process.execPath, ...words.slice(1, -1), '--import', probe, script], script };
}

export async function startApp(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  probeDir: string;
  log: (line: string) => void;
}): Promise<AppServer> {
  mkdirSync(options.probeDir, { recursive: true });
  const serve = serveCommand(await compiledProbe());
  const server = await startServer({
    name: 'app server',
    cwd: path.join(repoRoot, 'apps/web'),
    command: serve.command,
    measure: serve.script,
    port: options.port,
    env: {
      ...options.env,
      NODE_ENV: 'production',
      BENCH_PROBE_DIR: options.probeDir,
    },
    readyPath: '/api/ready',
    log: options.log,
  });
  let windows = 0;
  return {
    ...server,
    openWindow(window = {}) {
      if (window.profile) writeFileSync(path.join(options.probeDir, 'profile-next'), '');
      process.kill(server.pid, 'SIGUSR2');
    },
    async closeWindow() {
      const file = path.join(options.probeDir, `window-${++windows}.json`);
      process.kill(server.pid, 'SIGUSR2');
      const deadline = Date.now() + 30_000;
      while (!existsSync(file)) {
        if (Date.now() > deadline) throw new Error(`The probe wrote no ${file}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // Written in one call; a read that races it sees a partial file once at most.
      for (;;) {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as ProbeWindow;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    },
  };
}

export function startBare(options: {
  port: number;
  connectionString: string;
  env?: NodeJS.ProcessEnv;
  /** Loads the probe too (for BENCH_SQL_TRACE in env). */
  probe?: boolean;
  log: (line: string) => void;
}): Promise<ServerProcess> {
  return startServer({
    name: 'bare server',
    cwd: benchDir,
    command: [
      process.execPath,
      '--import',
      'tsx',
      ...(options.probe ? ['--import', probeModule] : []),
      'src/bare-server.ts',
    ],
    measure: 'src/bare-server.ts',
    port: options.port,
    env: { ...options.env, DATABASE_URL: options.connectionString },
    readyPath: '/',
    log: options.log,
  });
}
