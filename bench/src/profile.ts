import { readFileSync } from 'node:fs';

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time, ms (idle and the probe's own work excluded). */
  busyMs: number;
  idleMs: number;
  /** The probe's own work (stopping the profiler serialises the profile): not the app's. */
  probeMs: number;
  /** Functions by self time, most first. */
  functions: { name: string; where: string; group: string; ms: number; share: number }[];
  /** Self time summed by package / runtime part, most first. */
  groups: { group: string; ms: number; share: number }[];
}

/** Where a frame's code lives: the npm package, the workspace package, or a part of Node/V8. */
function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (plain) return plain[1]!;
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  return 'other';
}

/** Short location for the report: the path from the package on. */
function shortWhere(url: string, line: number): string {
  if (!url) return '';
  const tail = url.replace(/^file:\/\//, '').replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
  // Paths from the repository on: the machine's own directories stay out of the report.
  const trimmed = tail.replace(/^.*\/(packages|apps|bench)\//, '$1/');
  return `${trimmed}:${line + 1}`;
}

/** Self time per function and per package, from a `.cpuprofile` (V8's format). */
export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Frames under the probe (the profiler's stop and the profile's serialisation) are its own cost.
  const probeNodes = new Set<number>();
  const markProbe = (id: number) => {
    probeNodes.add(id);
    for (const child of byId.get(id)?.children ?? []) markProbe(child);
  };
  for (const node of profile.nodes)
    if (/\/bench\/(src\/probe\.ts|dist\/probe\.mjs)$/.test(node.callFrame.url)) markProbe(node.id);
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  /**
   * A native frame (a socket or file write, JSON) is named with the script that called it and,
   * when that is Node's own, the first package or app frame above it: who asked for the write.
   */
  const callerOf = (id: number): string => {
    const at = (frame: { functionName: string; url: string; lineNumber: number }) =>
      `${frame.functionName || '(anonymous)'} ${shortWhere(frame.url, frame.lineNumber)}`;
    let immediate: string | undefined;
    for (let parent = parentOf.get(id); parent !== undefined; parent = parentOf.get(parent)) {
      const frame = byId.get(parent)!.callFrame;
      if (!frame.url) continue;
      immediate ??= at(frame);
      if (!frame.url.startsWith('node:'))
        return immediate === at(frame) ? `← ${immediate}` : `← ${immediate} ← ${at(frame)}`;
    }
    return immediate ? `← ${immediate}` : '';
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
  });
  const functions = new Map<string, { name: string; where: string; group: string; ms: number }>();
  let idleMs = 0;
  let probeMs = 0;
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    if (probeNodes.has(id)) {
      probeMs += ms;
      continue;
    }
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const where = frame.url ? shortWhere(frame.url, frame.lineNumber) : callerOf(id);
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, group: groupOf(frame.url, name), ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  const busyMs = [...functions.values()].reduce((sum, f) => sum + f.ms, 0);
  const share = (ms: number) => Math.round((ms / Math.max(busyMs, 1)) * 1000) / 10;
  const groups = new Map<string, number>();
  for (const f of functions.values()) groups.set(f.group, (groups.get(f.group) ?? 0) + f.ms);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    busyMs: round(busyMs),
    idleMs: round(idleMs),
    probeMs: round(probeMs),
    functions: [...functions.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ ...f, ms: round(f.ms), share: share(f.ms) })),
    groups: [...groups.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([group, ms]) => ({ group, ms: round(ms), share: share(ms) })),
  };
}
