import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffSchemas, EXPRESSION_INDEXES, schemaPath, schemaSnapshotPath } from './migrate';
import { createScratchDatabase, describeSchema, type ScratchDatabase } from './testing';

const scratch: ScratchDatabase[] = [];
afterAll(async () => {
  await Promise.all(scratch.map((db) => db.drop()));
});

async function newDatabase() {
  const db = await createScratchDatabase();
  scratch.push(db);
  return db.connectionString;
}

describe('migrations', () => {
  it('applying every migration to an empty database yields exactly what schema.prisma describes', async () => {
    const schema = await readFile(schemaPath, 'utf8');

    const migrated = await newDatabase();
    const applied = await applyMigrations(migrated);
    expect(applied.length).toBeGreaterThan(0);

    // The reference: the SQL Prisma derives from schema.prisma, plus the indexes it cannot declare,
    // run on another empty database.
    const reference = await newDatabase();
    const client = new pg.Client({ connectionString: reference });
    await client.connect();
    await client.query(await diffSchemas(null, schema, reference));
    for (const statement of EXPRESSION_INDEXES) await client.query(statement);
    await client.end();

    const [actual, expected] = await Promise.all([describeSchema(migrated), describeSchema(reference)]);
    expect((expected.columns as unknown[]).length).toBeGreaterThan(50);
    expect(actual).toEqual(expected);
  });

  it('is idempotent: a second run applies nothing', async () => {
    const url = await newDatabase();
    await applyMigrations(url);
    expect(await applyMigrations(url)).toEqual([]);
  });

  it('the snapshot used by db:new-migration matches schema.prisma (no un-migrated change)', async () => {
    const [schema, snapshot] = await Promise.all([
      readFile(schemaPath, 'utf8'),
      readFile(schemaSnapshotPath, 'utf8'),
    ]);
    const sql = await diffSchemas(snapshot, schema);
    expect(sql.replace(/--.*$/gm, '').trim()).toBe('');
  });
});
