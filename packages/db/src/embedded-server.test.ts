import { connect as connectSocket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded';

let embedded: EmbeddedPostgres;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  const client = new pg.Client({ connectionString: embedded.connectionString });
  await client.connect();
  await client.query('CREATE TABLE item (id int PRIMARY KEY, label text NOT NULL)');
  await client.end();
});

afterAll(async () => {
  await embedded.stop();
});

async function connect(connectionString = embedded.connectionString): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  return client;
}

/** A transaction on a connection of its own; resolves to `i + 1` read back inside it. */
async function inTransaction(pool: pg.Pool, i: number): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO item (id, label) VALUES ($1, $2)', [i, `item ${i}`]);
    const { rows } = await client.query<{ v: number }>('SELECT id + 1 AS v FROM item WHERE id = $1', [i]);
    await client.query('COMMIT');
    return rows[0]!.v;
  } finally {
    client.release();
  }
}

describe('embedded database server', () => {
  it('answers many pooled connections at once, each query with its own parameters', async () => {
    const pool = new pg.Pool({ connectionString: embedded.connectionString, max: 8 });
    try {
      // Statements with different parameter counts on several connections at once, some of them
      // failing: interleaved message by message, one connection's Bind meets another's statement,
      // and an error discards the other connections' messages up to its own Sync.
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => {
          if (i % 3 === 0) {
            return pool.query('SELECT 1 / ($1::int - $1::int) AS v', [i]).then(
              () => 'no error',
              (error: Error) => error.message,
            );
          }
          if (i % 10 === 1) return inTransaction(pool, i);
          const sql =
            i % 3 === 1 ? 'SELECT $1::int + $2::int AS v' : 'SELECT $1::int + $2::int + $3::int AS v';
          const values = i % 3 === 1 ? [i, 1] : [i, 1, 0];
          return pool.query<{ v: number }>(sql, values).then((r) => r.rows[0]!.v);
        }),
      );
      expect(results).toEqual(
        Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 'division by zero' : i + 1)),
      );
    } finally {
      await pool.query('DELETE FROM item');
      await pool.end();
    }
  });

  // Each test opens and cleans up its own connections, the same way on purpose.
  it('keeps named prepared statements apart per connection, as a real server does', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      const first = await a.query({ name: 'pick', text: 'SELECT $1::int * 2 AS v', values: [21] });
      const second = await b.query({ name: 'pick', text: "SELECT $1::text || '!' AS v", values: ['hi'] });
      // Reused on each connection, each still runs its own text.
      const again = await a.query({ name: 'pick', text: 'SELECT $1::int * 2 AS v', values: [5] });
      expect([first.rows[0].v, second.rows[0].v, again.rows[0].v]).toEqual([42, 'hi!', 10]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
    // Their statements went with them: a new connection may prepare the same name afresh.
    const c = await connect();
    try {
      const { rows } = await c.query({ name: 'pick', text: 'SELECT 7 AS v' });
      expect(rows[0].v).toBe(7);
    } finally {
      await c.end();
    }
  });

  it("runs another connection's statements outside an open transaction, after it", async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      await a.query('BEGIN');
      await a.query("INSERT INTO item VALUES (1, 'in a rolled-back transaction')");
      const fromB = b.query("INSERT INTO item VALUES (2, 'committed on its own')");
      await a.query('ROLLBACK');
      await fromB;
      const { rows } = await b.query<{ id: number }>('SELECT id FROM item ORDER BY id');
      expect(rows.map((row) => row.id)).toEqual([2]);
    } finally {
      await b.query('DELETE FROM item');
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('rolls back the transaction of a connection that dies in it, and serves the others', async () => {
    const a = await connect();
    a.on('error', () => {});
    await a.query('BEGIN');
    await a.query("INSERT INTO item VALUES (3, 'never committed')");
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = await connect();
    try {
      // One session serves every connection: had the transaction stayed open, its row would show.
      const { rows } = await b.query('SELECT id FROM item');
      expect(rows).toEqual([]);
    } finally {
      await b.query('DELETE FROM item');
      await b.end();
    }
  });

  it('delivers a notification to the connections that LISTEN, not to the one that sent it', async () => {
    const [listener, sender] = await Promise.all([connect(), connect()]);
    try {
      const heard: string[] = [];
      const echoed: string[] = [];
      listener.on('notification', (message) => heard.push(`${message.channel}:${message.payload}`));
      sender.on('notification', (message) => echoed.push(`${message.channel}:${message.payload}`));
      await listener.query('LISTEN key_changed');
      await sender.query("SELECT pg_notify('key_changed', 'k1')");
      await sender.query('BEGIN');
      await sender.query("NOTIFY key_changed, 'k2'");
      await sender.query('COMMIT');
      await listener.query('SELECT 1'); // a round trip, so anything sent before it has arrived
      expect(heard).toEqual(['key_changed:k1', 'key_changed:k2']);
      expect(echoed).toEqual([]);
      await listener.query('UNLISTEN key_changed');
      await sender.query("SELECT pg_notify('key_changed', 'k3')");
      await listener.query('SELECT 1');
      expect(heard).toHaveLength(2);
    } finally {
      await Promise.all([listener.end(), sender.end()]);
    }
  });
});

describe('embedded database server, a connection idle in a transaction', () => {
  it('is ended once others have waited too long, and its transaction rolled back', async () => {
    const own = await startEmbeddedPostgres({ idleInTransactionMs: 300 });
    try {
      const [idle, waiting] = await Promise.all([
        connect(own.connectionString),
        connect(own.connectionString),
      ]);
      await idle.query('CREATE TABLE note (id int)');
      // The server's FATAL, then the closed connection: both arrive as errors.
      const errors: Error[] = [];
      const ended = new Promise<Error>((resolve) =>
        idle.on('error', (error) => {
          errors.push(error);
          resolve(errors[0]!);
        }),
      );
      await idle.query('BEGIN');
      await idle.query('INSERT INTO note VALUES (1)');
      // Waits for the session while `idle` keeps it, then runs once `idle` is ended.
      const started = performance.now();
      const { rows } = await waiting.query('SELECT count(*)::int AS n FROM note');
      expect(rows[0].n).toBe(0);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect((await ended).message).toMatch(/idle in a transaction/);
      await waiting.end();
    } finally {
      await own.stop();
    }
  });
});

describe('embedded database server, a connection that fails', () => {
  it('reports the failure, closes that connection, and serves the others', async () => {
    const failures: { message: string; during: string }[] = [];
    const own = await startEmbeddedPostgres({
      onError: (error, { during }) => failures.push({ message: (error as Error).message, during }),
    });
    try {
      const port = Number(new URL(own.connectionString).port);
      const socket = connectSocket(port, '127.0.0.1');
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('error', () => {});
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      // A startup message, then a Parse whose statement name never ends (no NUL).
      const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
      const startup = Buffer.alloc(8 + params.length);
      startup.writeInt32BE(startup.length, 0);
      startup.writeInt32BE(196608, 4);
      params.copy(startup, 8);
      const ready = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write(startup);
      await ready;
      const parse = Buffer.alloc(8);
      parse.write('P', 0, 'latin1');
      parse.writeInt32BE(7, 1);
      parse.write('abc', 5, 'latin1');
      socket.write(parse);
      await closed;
      await expect
        .poll(() => failures)
        .toContainEqual({
          message: expect.stringMatching(/unterminated string/),
          during: 'message',
        });
      const client = await connect(own.connectionString);
      expect((await client.query('SELECT 1 AS one')).rows[0].one).toBe(1);
      await client.end();
    } finally {
      await own.stop();
    }
  });
});
