import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(packageRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(packageRoot, 'prisma', 'migrations');
/** The schema as of the newest migration; `db:new-migration` diffs from it. */
export const schemaSnapshotPath = path.join(migrationsDir, 'schema-snapshot.prisma');
