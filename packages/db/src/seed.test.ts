import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from './api-key-hash';
import { createDb, type Db } from './client';
import { applyMigrations } from './migrate';
import { seed, seedIds } from './seed';
import { createScratchDatabase, type ScratchDatabase } from './testing';

let scratch: ScratchDatabase;
let db: Db;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await applyMigrations(scratch.connectionString);
  db = createDb({ connectionString: scratch.connectionString, max: 2 });
});

afterAll(async () => {
  await db.$disconnect();
  await scratch.drop();
});

async function counts() {
  return {
    organizations: await db.organization.count(),
    stores: await db.store.count(),
    otpUsers: await db.otpUser.count(),
    admins: await db.adminUser.count(),
    apiKeys: await db.apiKey.count(),
  };
}

describe('seed', () => {
  it('creates the demo and other organizations, prints generated credentials once, and is idempotent', async () => {
    const first = await seed(db);
    expect(first.generated.map((g) => `${g.kind}:${g.organization}`).sort()).toEqual([
      'adminPassword:demo',
      'adminPassword:other',
      'apiKey:demo',
      'apiKey:other',
    ]);
    const after = await counts();
    expect(after).toMatchObject({ organizations: 2, stores: 2, admins: 2, apiKeys: 2 });
    expect(after.otpUsers).toBeGreaterThanOrEqual(4);

    const demo = await db.organization.findUniqueOrThrow({ where: { slug: 'demo' } });
    expect(demo.id).toBe(seedIds.organization('demo'));
    const owner = await db.adminUser.findUniqueOrThrow({
      where: { email: 'owner@demo.example' },
      include: { memberships: true },
    });
    expect(owner.memberships).toMatchObject([{ organizationId: demo.id, role: 'OWNER' }]);
    const password = first.generated.find((g) => g.label === 'owner@demo.example')!.value;
    expect(await argon2.verify(owner.passwordHash, password)).toBe(true);

    const second = await seed(db);
    expect(second.generated).toEqual([]);
    expect(await counts()).toEqual(after);
  });

  it('installs DEMO_API_KEY / OTHER_API_KEY verbatim with every permission, and SEED_ADMIN_PASSWORD', async () => {
    const demoKey = 'demo-key-for-scripts-0123456789';
    await seed(db, { apiKeys: { demo: demoKey }, adminPassword: 'a-known-password' });
    const key = await db.apiKey.findUniqueOrThrow({ where: { keyHash: hashApiKey(demoKey) } });
    expect(key.organizationId).toBe(seedIds.organization('demo'));
    expect(key.permissions).toContain('mad.store.otpUsers.update');
    expect(key.permissions).toContain('org.apiKeys.manage');
    const owner = await db.adminUser.findUniqueOrThrow({ where: { email: 'owner@other.example' } });
    expect(await argon2.verify(owner.passwordHash, 'a-known-password')).toBe(true);
  });
});
