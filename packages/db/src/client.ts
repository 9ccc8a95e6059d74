import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export interface CreateDbOptions {
  connectionString: string;
  /** Pool size per process. */
  max?: number;
}

/** A pooled Prisma client over node-postgres. One per process; share it. */
export function createDb({ connectionString, max = 10 }: CreateDbOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

export type Db = PrismaClient;
