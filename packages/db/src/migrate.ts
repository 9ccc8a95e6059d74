import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { startEmbeddedPostgres } from './embedded';
import { migrationsDir, schemaPath } from './paths';

export { migrationsDir, schemaPath, schemaSnapshotPath } from './paths';

/**
 * Offline migrations. The stock Prisma CLI downloads a native schema engine for `migrate`; this
 * module runs the same engine compiled to WebAssembly (`@prisma/schema-engine-wasm`) over our
 * `pg` driver adapter, so it works anywhere Node runs. It reads and writes Prisma's own
 * migrations folder and `_prisma_migrations` table, so the stock CLI keeps working too.
 */

const noFilters = { externalTables: [], externalEnums: [] };

type EngineModule = typeof import('@prisma/schema-engine-wasm');
let engineModule: Promise<EngineModule> | undefined;

/** The wasm bindings expect a bundler to wire the module; we instantiate it by hand. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const pkgDir = path.dirname(bindingsPath);
    const bindings = (await import(
      /* webpackIgnore: true */ pathToFileURL(bindingsPath).href
    )) as EngineModule & { __wbg_set_wasm(exports: WebAssembly.Exports): void };
    const bytes = await readFile(path.join(pkgDir, 'schema_engine_bg.wasm'));
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(new Uint8Array(bytes)), {
      './schema_engine_bg.js': bindings,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

async function withEngine<T>(
  connectionString: string,
  schemaText: string,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const adapter = new PrismaPg({ connectionString });
  const factory = bindMigrationAwareSqlAdapterFactory(adapter);
  const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, () => {}, factory);
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * Indexes schema.prisma cannot declare (an expression as a key), each created by a hand-written
 * migration with exactly this statement. The schema check builds them on its reference database
 * too, so a migration that drifts from them still fails it.
 */
export const EXPRESSION_INDEXES: readonly string[] = [
  // The allowance sort: an unlimited allowance (negative) ranks above every number.
  'CREATE INDEX "otp_user_store_id_allowance_order_idx" ON "otp_user" ("store_id", ("allowed_downloads_num" < 0), "allowed_downloads_num", "id")',
];

export async function readMigrationList(dir = migrationsDir): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(dir, name, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        ),
      },
    })),
  );
  const lockfileContent = await readFile(path.join(dir, 'migration_lock.toml'), 'utf8').catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockfileContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies every pending migration of the folder; returns the names it applied. */
export async function applyMigrations(connectionString: string, dir = migrationsDir): Promise<string[]> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const migrationsList = await readMigrationList(dir);
  return withEngine(connectionString, schemaText, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return result.appliedMigrationNames;
  });
}

/**
 * SQL that turns a database at `fromSchema` into one at `toSchema`, computed from the two schema
 * texts (`fromSchema: null` = an empty database). The engine insists on a connection even though
 * it reads nothing from it, so without `connectionString` a throwaway in-memory PGlite serves.
 */
export async function diffSchemas(
  fromSchema: string | null,
  toSchema: string,
  connectionString?: string,
): Promise<string> {
  const scratch = connectionString ? undefined : await startEmbeddedPostgres();
  try {
    return await withEngine(connectionString ?? scratch!.connectionString, toSchema, async (engine) => {
      const file = (content: string) => ({ files: [{ path: schemaPath, content }] });
      const result = await engine.diff({
        from: fromSchema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', ...file(fromSchema) },
        to: { tag: 'schemaDatamodel', ...file(toSchema) },
        script: true,
        exitCode: null,
        filters: noFilters,
      });
      return result.stdout ?? '';
    });
  } finally {
    await scratch?.stop();
  }
}

/** SQL that turns the live database at `connectionString` into `toSchema` (empty when in sync). */
export async function diffDatabaseToSchema(connectionString: string, toSchema: string): Promise<string> {
  return withEngine(connectionString, toSchema, async (engine) => {
    const result = await engine.diff({
      from: {
        tag: 'schemaDatasource',
        files: [{ path: schemaPath, content: toSchema }],
        configDir: path.dirname(path.dirname(schemaPath)),
      },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: toSchema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return result.stdout ?? '';
  });
}
