import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export interface CreateDbOptions {
  connectionString: string;
  /** Pool size per process. */
  max?: number;
  /**
   * How long a query may wait for a connection (a free one from the pool, or a new one). When the
   * database host is unreachable nothing answers a connect, and this is all that ends the wait:
   * it bounds how long a request hangs before it answers 503.
   */
  connectionTimeoutMs?: number;
}

/** A pooled Prisma client over node-postgres. One per process; share it. */
export function createDb({
  connectionString,
  max = 10,
  connectionTimeoutMs = 2_000,
}: CreateDbOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}

export type Db = PrismaClient;
