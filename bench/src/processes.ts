import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** The server's own process (not the package manager or shell above it). */
  pid: number;
  /** Starts sampling resident memory; the returned function stops and gives the peak in MB. */
  sampleRss(): () => number;
  stop(): Promise<void>;
}

export function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time the process (or one of its threads) has used so far (user + system), in seconds. */
export function cpuSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** The process under `root` (itself included) whose command line contains `match`. */
export function findProcess(root: number, match: string): number | undefined {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // The node process itself, not the shell the package manager runs the script with.
      if (path.basename(argv[0] ?? '') === 'node' && argv.join(' ').includes(match)) return pid;
    } catch {
      // Gone meanwhile.
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return undefined;
}

/**
 * Runs `command` and waits until `readyPath` answers. Memory is measured on the process whose
 * command line contains `measure` (the server itself, not the package manager above it).
 */
export async function startServer(options: {
  name: string;
  cwd: string;
  command: string[];
  measure: string;
  port: number;
  env: NodeJS.ProcessEnv;
  readyPath: string;
  log: (line: string) => void;
}): Promise<ServerProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  // Something already answering there would be measured instead of the new server.
  if (
    await fetch(url).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`Port ${options.port} is already in use`);
  const child = spawn(options.command[0]!, options.command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env, PORT: String(options.port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited (${child.exitCode}):\n${stderr}`);
    try {
      const response = await fetch(`${url}${options.readyPath}`);
      if (response.status < 500) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${options.name} did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const pid = findProcess(child.pid!, options.measure);
  if (!pid) throw new Error(`${options.name}: no process matching "${options.measure}"`);
  options.log(`${options.name} is up at ${url} (pid ${pid})`);
  return {
    url,
    child,
    pid,
    sampleRss() {
      let peak = rssMb(pid);
      const timer = setInterval(() => {
        peak = Math.max(peak, rssMb(pid));
      }, 100);
      return () => {
        clearInterval(timer);
        return Math.round(Math.max(peak, rssMb(pid)));
      };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // The server shuts down gracefully on SIGTERM; whatever started it then exits too.
      process.kill(pid, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion and returns its standard output. */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err || out}`)),
    );
  });
}
