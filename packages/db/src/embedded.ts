import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { type EmbeddedServerErrorHandler, serveEmbeddedDatabase } from './embedded-server';

export interface EmbeddedPostgres {
  /** A `postgresql://` URL any Postgres client (pg, Prisma, psql) can use. */
  connectionString: string;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Directory for the data files; omit for an in-memory database. */
  dataDir?: string;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** How long a connection idle in a transaction may make others wait (default 30 s). */
  idleInTransactionMs?: number;
  /** What goes wrong on a client connection (default: a line on stderr). */
  onError?: EmbeddedServerErrorHandler;
}

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over the Postgres wire protocol so the
 * app, Prisma and `psql` talk to it as to a real server. PGlite is one session; the server hands it
 * to one connection at a time (see `serveEmbeddedDatabase`).
 */
export async function startEmbeddedPostgres(
  options: StartEmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm },
  });
  const host = options.host ?? '127.0.0.1';
  const server = await serveEmbeddedDatabase(db, {
    host,
    port: options.port ?? 0,
    idleInTransactionMs: options.idleInTransactionMs,
    onError: options.onError,
  });
  return {
    connectionString: `postgresql://postgres:postgres@${host}:${server.port}/postgres?sslmode=disable`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
