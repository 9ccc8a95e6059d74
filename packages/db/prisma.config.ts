import { defineConfig } from 'prisma/config';

// Used by the stock Prisma CLI (generate; migrate where its engine can be downloaded).
// The app itself migrates offline through src/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/otp_access' },
});
