/** `pnpm db:seed`: migrates, then adds the demo data where missing (idempotent). */
import { provisionDatabase } from '../provision';

const database = await provisionDatabase({ seed: true });
console.log('Seed complete.');
await database.stop();
