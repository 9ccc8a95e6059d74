import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
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

const pools = new WeakMap<PrismaClient, pg.Pool>();

/**
 * A pooled Prisma client over node-postgres. One per process; share it. The pool is ours, so the
 * few hot statements written in SQL (see `sqlPool`) share its connections with Prisma.
 */
export function createDb({
  connectionString,
  max = 10,
  connectionTimeoutMs = 2_000,
}: CreateDbOptions): PrismaClient {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // A connection that breaks while idle (database restarted) is dropped by the pool; without a
  // listener its error would crash the process.
  pool.on('error', () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  // Prisma leaves a pool it was given open on $disconnect; close it with the client.
  const disconnect = db.$disconnect.bind(db);
  let ended = false;
  db.$disconnect = async () => {
    await disconnect();
    if (!ended) {
      ended = true;
      await pool.end();
    }
  };
  pools.set(db, pool);
  return db;
}

/** The node-postgres pool under a client made by `createDb`. */
export function sqlPool(db: PrismaClient): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('This database client was not made by createDb');
  return pool;
}

export type Db = PrismaClient;
