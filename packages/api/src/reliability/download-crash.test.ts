import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFigures, scaled } from '../testing/figures';
import { callerFor, createTestOrganization, storeSessionCookieFor, testDb } from '../testing/fixtures';

/*
 * Two app instances share one database; one is killed with SIGKILL while downloads are in
 * flight on both. The allowance is counted in the database, one conditional UPDATE per download
 * in the same transaction as its event row, so a process dying at any point can lose an answer
 * but never a count: the counter, the event rows and what clients saw must still add up.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function startInstance(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../testing/api-server.ts')], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The API server exited (${code}) before listening`)));
    lines.once('line', (line) => resolve(Number(line.trim())));
  });
  expect(port).toBeGreaterThan(0);
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

type Outcome = { instance: 'victim' | 'survivor'; status: number | 'connection lost'; afterKill: boolean };

describe('an instance is killed mid-download', () => {
  it('keeps the download allowance exact: counted = event rows = answers seen + answers lost', async () => {
    const allowance = scaled(20);
    const org = await createTestOrganization();
    const email = 'crash@downloads.example';
    const [user] = await callerFor(org.apiKey).otpUser.create({
      storeId: org.storeId,
      data: { email, publishedApplicationId: org.publishedApplicationId, allowedDownloadsNum: allowance },
    });
    const now = new Date();
    const cookie = await storeSessionCookieFor(org.storeId, email, now);

    const [victim, survivor] = await Promise.all([startInstance(), startInstance()]);
    const path = `/api/store/${org.storeId}/apps/${org.publishedApplicationId}/download`;
    const outcomes: Outcome[] = [];
    let killed = false;
    let killAt = 0;
    let exhausted = false;
    const maxAttempts = allowance * 4;
    let attempts = 0;

    const download = async (instance: 'victim' | 'survivor') => {
      const target = instance === 'victim' ? victim : survivor;
      const afterKill = killed;
      try {
        const response = await fetch(`${target.baseUrl}${path}`, {
          headers: { cookie },
        });
        await response.arrayBuffer();
        outcomes.push({ instance, status: response.status, afterKill });
      } catch {
        outcomes.push({ instance, status: 'connection lost', afterKill });
      }
    };

    const worker = async (index: number) => {
      while (!exhausted && attempts < maxAttempts) {
        attempts++;
        // Half the workers use the victim until it dies, then everyone uses the survivor.
        await download(index % 2 === 0 && !killed ? 'victim' : 'survivor');
        const ok = outcomes.filter((o) => o.status === 200).length;
        if (!killed && ok >= Math.floor(allowance / 3)) {
          killed = true;
          killAt = outcomes.length;
          victim.child.kill('SIGKILL');
        }
        if (outcomes.some((o) => o.instance === 'survivor' && o.status === 403)) exhausted = true;
      }
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => worker(i)));
    if (victim.child.exitCode === null && victim.child.signalCode === null) await once(victim.child, 'exit');
    expect(victim.child.signalCode).toBe('SIGKILL');

    // The allowance was spent, and the next download is refused.
    const extra = await fetch(`${survivor.baseUrl}${path}`, {
      headers: { cookie },
    });
    expect(extra.status).toBe(403);
    expect(((await extra.json()) as { message: string }).message).toMatch(/No downloads left/);

    const row = await testDb().otpUser.findUniqueOrThrow({
      where: { id: user!.id },
      select: { downloadsCount: true },
    });
    const counted = Number(row.downloadsCount);
    const events = await testDb().downloadEvent.count({ where: { otpUserId: user!.id } });
    const ok = outcomes.filter((o) => o.status === 200).length;
    const lost = outcomes.filter((o) => o.status === 'connection lost');
    const unexpected = outcomes.filter(
      (o) => o.status !== 200 && o.status !== 403 && o.status !== 'connection lost',
    );

    expect(unexpected).toEqual([]);
    // Only the killed instance loses connections, and only around its death.
    expect(lost.every((o) => o.instance === 'victim')).toBe(true);
    expect(counted).toBe(events);
    expect(counted).toBe(allowance);
    expect(ok).toBeLessThanOrEqual(counted);
    // Every count a client did not see is a request that was in flight on the victim when it died.
    expect(counted - ok).toBeLessThanOrEqual(lost.length);
    // 403s only once the allowance was gone.
    expect(outcomes.filter((o) => o.status === 403).length).toBeGreaterThan(0);

    recordFigures('SIGKILL of one of two instances mid-download', {
      allowance,
      downloadsAttempted: outcomes.length + 1,
      kills: 1,
      answeredBeforeKill: killAt,
      okResponses: ok,
      connectionsLostOnKilledInstance: lost.length,
      countedButUnanswered: counted - ok,
      downloadsCounted: counted,
      downloadEventRows: events,
      refused: outcomes.filter((o) => o.status === 403).length + 1,
    });
  });
});
