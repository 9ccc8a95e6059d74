/**
 * First run on an empty database: the setup page's procedures, and `pnpm admin:create-organization`.
 * Each test gets a database of its own (nothing else may exist for setup to be open).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDb, type Db } from '@otp-access/db';
import { applyMigrations } from '@otp-access/db/migrate';
import { createScratchDatabase, type ScratchDatabase } from '@otp-access/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createCaller } from '../../root';
import { testHandlers, testSession } from '../../testing/fixtures';
import { createTRPCContext } from '../../trpc';

const TOKEN = 'first-run-token-0123456789';
const scratches: { scratch: ScratchDatabase; db: Db }[] = [];

async function emptyDatabase() {
  const scratch = await createScratchDatabase();
  await applyMigrations(scratch.connectionString);
  const db = createDb({ connectionString: scratch.connectionString, max: 4 });
  scratches.push({ scratch, db });
  return { db, connectionString: scratch.connectionString };
}

afterEach(async () => {
  for (const { scratch, db } of scratches.splice(0)) {
    await db.$disconnect();
    await scratch.drop();
  }
});

function setupCaller(db: Db, options: { setupToken?: string; headers?: HeadersInit } = {}) {
  return createCaller(
    createTRPCContext({
      db,
      session: testSession,
      headers: new Headers(options.headers),
      setupToken: options.setupToken,
    }),
  );
}

const firstOrganization = {
  slug: 'acme',
  name: 'Acme Inc.',
  ownerEmail: 'Ops@Acme.example',
  password: 'a-long-enough-password',
};

async function signIn(db: Db, username: string, password: string) {
  const handlers = testHandlers({
    db,
  });
  const response = await handlers.route(
    new Request('http://localhost/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }),
  )!;
  return { status: response.status, body: (await response.json()) as { spaces?: unknown[] } };
}

describe('setup page procedures', () => {
  it('creates the first organization and owner once, with the token, then closes for good', async () => {
    const { db } = await emptyDatabase();
    const caller = setupCaller(db, { setupToken: TOKEN });
    expect(await caller.setup.status()).toEqual({ open: true });

    await expect(
      caller.setup.createOrganization({ ...firstOrganization, token: `${TOKEN}x` }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'The setup token is not valid. Copy it from the server log.',
    });
    expect(await db.organization.count()).toBe(0);

    const created = await caller.setup.createOrganization({ ...firstOrganization, token: TOKEN });
    expect(created).toEqual({
      organization: { slug: 'acme', name: 'Acme Inc.' },
      ownerEmail: 'ops@acme.example',
    });
    expect(await signIn(db, 'ops@acme.example', firstOrganization.password)).toEqual({
      status: 200,
      body: expect.objectContaining({ spaces: [{ slug: 'acme', name: 'Acme Inc.', role: 'OWNER' }] }),
    });
    expect(await db.auditEvent.findMany({ select: { action: true, actor: true, changes: true } })).toEqual([
      {
        action: 'organization.create',
        actor: 'system (setup page)',
        changes: { slug: 'acme', name: 'Acme Inc.', owner: 'ops@acme.example', newAccount: true },
      },
    ]);

    // Closed now, even with the right token.
    expect(await caller.setup.status()).toEqual({ open: false });
    await expect(
      caller.setup.createOrganization({ ...firstOrganization, slug: 'second', token: TOKEN }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await db.organization.count()).toBe(1);
  });

  it('is closed without a configured token, refuses other sites, and lets one of two racing submissions win', async () => {
    const { db } = await emptyDatabase();
    const closed = setupCaller(db);
    expect(await closed.setup.status()).toEqual({ open: false });
    await expect(
      closed.setup.createOrganization({ ...firstOrganization, token: TOKEN }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    const crossSite = setupCaller(db, { setupToken: TOKEN, headers: { 'sec-fetch-site': 'cross-site' } });
    await expect(
      crossSite.setup.createOrganization({ ...firstOrganization, token: TOKEN }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      setupCaller(db, { setupToken: TOKEN }).setup.createOrganization({
        ...firstOrganization,
        slug: 'Not A Slug',
        password: 'short',
        token: TOKEN,
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await db.organization.count()).toBe(0);

    const open = setupCaller(db, { setupToken: TOKEN });
    const results = await Promise.allSettled([
      open.setup.createOrganization({
        ...firstOrganization,
        slug: 'one',
        ownerEmail: 'one@race.example',
        token: TOKEN,
      }),
      open.setup.createOrganization({
        ...firstOrganization,
        slug: 'two',
        ownerEmail: 'two@race.example',
        token: TOKEN,
      }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await db.organization.count()).toBe(1);
  });
});

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../scripts');
const run = promisify(execFile);

async function createOrganizationCli(
  connectionString: string,
  args: string[],
  env: Record<string, string> = {},
) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', path.join(scriptsDir, 'create-organization.ts'), ...args],
      { env: { ...process.env, DATABASE_URL: connectionString, ...env }, cwd: path.dirname(scriptsDir) },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('pnpm admin:create-organization', () => {
  // Each run is a process that migrates first (Prisma's schema engine as WebAssembly): slow.
  it('creates an organization and owner on an empty database, printing a generated password once', {
    timeout: 240_000,
  }, async () => {
    const { db, connectionString } = await emptyDatabase();
    const created = await createOrganizationCli(connectionString, [
      '--slug',
      'acme',
      '--name',
      'Acme Inc.',
      '--owner-email',
      'Ops@Acme.example',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const password = /\(shown once\): (\S+)/.exec(created.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await signIn(db, 'ops@acme.example', password!)).status).toBe(200);

    // The same slug again: a clear refusal, nothing changed.
    const again = await createOrganizationCli(connectionString, [
      '--slug',
      'acme',
      '--name',
      'Other',
      '--owner-email',
      'new@acme.example',
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('An organization with the slug "acme" already exists.');
    expect(await db.adminUser.count()).toBe(1);

    // An existing account owns a second organization and keeps its password.
    const second = await createOrganizationCli(
      connectionString,
      ['--slug', 'acme-eu', '--name', 'Acme EU', '--owner-email', 'ops@acme.example'],
      {},
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('existing account, password unchanged');
    expect(second.stdout).not.toContain('shown once');
    expect((await signIn(db, 'ops@acme.example', password!)).body.spaces).toHaveLength(2);

    // A password for an existing account would silently not apply: refused instead.
    const withPassword = await createOrganizationCli(connectionString, [
      '--slug',
      'acme-us',
      '--name',
      'Acme US',
      '--owner-email',
      'ops@acme.example',
      '--password',
      'another-long-password',
    ]);
    expect(withPassword.code).toBe(1);
    expect(withPassword.stderr).toContain('keeps its password');
  });

  // Each run is set up in full, like the one above: a reader sees the exact command line.
  it('takes the password from OWNER_PASSWORD and names every invalid flag', {
    timeout: 120_000,
  }, async () => {
    const { connectionString, db } = await emptyDatabase();
    const bad = await createOrganizationCli(connectionString, [
      '--slug',
      'Bad Slug',
      '--owner-email',
      'nope',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--slug:');
    expect(bad.stderr).toContain('--name:');
    expect(bad.stderr).toContain('--owner-email:');
    const created = await createOrganizationCli(
      connectionString,
      ['--slug', 'env-co', '--name', 'Env Co', '--owner-email', 'env@co.example'],
      { OWNER_PASSWORD: 'from-the-environment' },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).not.toContain('from-the-environment');
    expect((await signIn(db, 'env@co.example', 'from-the-environment')).status).toBe(200);
  });
});
