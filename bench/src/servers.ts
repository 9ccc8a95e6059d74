import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rssMb, type ServerProcess, startServer } from './processes';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(benchDir, '..');
const probeModule = path.join(benchDir, 'src/probe.ts');

/** What the probe loaded into the app reports for one window (see probe.ts). */
export interface ProbeWindow {
  seconds: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  gc: { count: number; totalMs: number; longestMs: number; byKind: Record<string, number> };
  /** Waits for a pooled database connection; absent from results written before it was measured. */
  poolWait?: {
    acquisitions: number;
    queued: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    heldP50Ms: number;
    heldP99Ms: number;
    busyConnections: number;
  };
  rssPeakMb: number;
  heapUsedMb: number;
  profile: string | null;
}

/** A server with the probe loaded, whose windows the harness opens and closes. */
export interface ProbedServer extends ServerProcess {
  /** Opens a probe window (event loop, GC pauses, pool waits, and a CPU profile when `profile`). */
  openWindow(options?: { profile?: boolean }): void;
  /** Closes the open window and returns what the probe measured in it. */
  closeWindow(): Promise<ProbeWindow>;
}

export type AppServer = ProbedServer;

/** Window control of a server started with the probe and BENCH_PROBE_DIR=`probeDir`. */
function probed(server: ServerProcess, probeDir: string): ProbedServer {
  let windows = 0;
  return {
    ...server,
    openWindow(window = {}) {
      if (window.profile) writeFileSync(path.join(probeDir, 'profile-next'), '');
      process.kill(server.pid, 'SIGUSR2');
    },
    async closeWindow() {
      const file = path.join(probeDir, `window-${++windows}.json`);
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
 * api-alone.ts, compiled as the production server is: the workspace packages it imports are their
 * compiled files (built by `pnpm bench`'s build step), everything else stays an import.
 */
async function compiledApiAlone(): Promise<string> {
  const outfile = path.join(benchDir, 'dist/api-alone.mjs');
  await build({
    entryPoints: [path.join(benchDir, 'src/api-alone.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    alias: {
      '@otp-access/api': '@otp-access/api/dist/index.js',
      '@otp-access/db': '@otp-access/db/dist/index.js',
    },
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
 * With `script`, that file runs in place of the serve script's, with the same flags.
 */
function serveCommand(probe?: string, script?: string): { command: string[]; script: string } {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'apps/web/package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts.serve!.split(/\s+/);
  const serve = words.at(-1)!;
  if (words[0] !== 'node' || !serve.endsWith('.js'))
    throw new Error(`apps/web's serve script is no longer "node … <script>.js": ${pkg.scripts.serve}`);
  const probing = probe ? ['--import', probe] : [];
  const run = script ?? serve;
  return { command: [process.execPath, ...words.slice(1, -1), ...probing, run], script: run };
}

export async function startApp(options: {
  port: number;
  env: NodeJS.ProcessEnv;
  probeDir: string;
  log: (line: string) => void;
  /** The API alone (api-alone.ts) in place of the production server, with the same node flags. */
  alone?: boolean;
}): Promise<AppServer> {
  mkdirSync(options.probeDir, { recursive: true });
  const serve = serveCommand(await compiledProbe(), options.alone ? await compiledApiAlone() : undefined);
  const server = await startServer({
    name: options.alone ? 'app server (the API alone)' : 'app server',
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
  return probed(server, options.probeDir);
}

interface BareOptions {
  port: number;
  connectionString: string;
  env?: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/**
 * The bare reference server. With `probeDir`, the probe measures its windows as it does the app's
 * (the same figures, from the same code); with `probe`, it is only loaded (for BENCH_SQL_TRACE).
 */
export function startBare(options: BareOptions & { probe?: boolean }): Promise<ServerProcess>;
export function startBare(options: BareOptions & { probeDir: string }): Promise<ProbedServer>;
export async function startBare(
  options: BareOptions & { probe?: boolean; probeDir?: string },
): Promise<ServerProcess | ProbedServer> {
  if (options.probeDir) mkdirSync(options.probeDir, { recursive: true });
  const server = await startServer({
    name: 'bare server',
    cwd: benchDir,
    command: [
      process.execPath,
      '--import',
      'tsx',
      ...(options.probe || options.probeDir ? ['--import', probeModule] : []),
      'src/bare-server.ts',
    ],
    measure: 'src/bare-server.ts',
    port: options.port,
    env: {
      ...options.env,
      DATABASE_URL: options.connectionString,
      ...(options.probeDir ? { BENCH_PROBE_DIR: options.probeDir } : {}),
    },
    readyPath: '/',
    log: options.log,
  });
  return options.probeDir ? probed(server, options.probeDir) : server;
}

/** The bare file server (bare-file-server.ts): `fs.createReadStream` of `file`, uploads hashed to disk. */
export function startBareFiles(options: {
  port: number;
  file: string;
  uploadDir: string;
  log: (line: string) => void;
}): Promise<ServerProcess> {
  return startServer({
    name: 'bare file server',
    cwd: benchDir,
    command: [process.execPath, '--import', 'tsx', 'src/bare-file-server.ts'],
    measure: 'src/bare-file-server.ts',
    port: options.port,
    env: { BARE_FILE: options.file, BARE_UPLOAD_DIR: options.uploadDir },
    readyPath: '/',
    log: options.log,
  });
}

export interface AppStart {
  /** From spawning the process until `/api/health` first answered 200. */
  healthMs: number;
  /** Resident memory of the server process once it has been idle for a while after that. */
  idleRssMb: number;
}

/**
 * Starts the production server `count` times, one after the other, as `startApp` would run it but
 * without the probe: how long until `/api/health` answers (polled every 20 ms) and the idle RSS
 * `idleSeconds` later. Each start is stopped (SIGTERM, as an orchestrator stops it) before the next.
 */
export async function measureAppStarts(options: {
  count: number;
  port: number;
  env: NodeJS.ProcessEnv;
  idleSeconds: number;
  log: (line: string) => void;
}): Promise<AppStart[]> {
  // The probe is not part of a real start: the command without it.
  const { command } = serveCommand();
  const url = `http://127.0.0.1:${options.port}/api/health`;
  const starts: AppStart[] = [];
  for (let i = 0; i < options.count; i++) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`Port ${options.port} is already in use`);
    const began = performance.now();
    const child = spawn(command[0]!, command.slice(1), {
      cwd: path.join(repoRoot, 'apps/web'),
      env: { ...process.env, ...options.env, NODE_ENV: 'production', PORT: String(options.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      let healthMs: number | undefined;
      while (healthMs === undefined) {
        if (child.exitCode !== null)
          throw new Error(`The app exited (${child.exitCode}) while starting:\n${stderr}`);
        if (performance.now() - began > 180_000) throw new Error(`The app did not start:\n${stderr}`);
        const ok = await fetch(url).then(
          (response) => response.status === 200,
          () => false,
        );
        if (ok) healthMs = Math.round(performance.now() - began);
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await new Promise((resolve) => setTimeout(resolve, options.idleSeconds * 1000));
      // The command is node itself (no package manager above it): the child is the server.
      const idleRssMb = Math.round(rssMb(child.pid!));
      starts.push({ healthMs, idleRssMb });
      options.log(
        `App start ${i + 1}/${options.count}: /api/health after ${healthMs} ms, idle RSS ${idleRssMb} MB`,
      );
    } finally {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
    }
  }
  return starts;
}
