/** `pnpm db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { provisionDatabase } from '../provision';

const database = await provisionDatabase();
console.log('Database is up to date.');
await database.stop();
