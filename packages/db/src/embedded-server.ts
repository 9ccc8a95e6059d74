import { type AddressInfo, createServer, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite database over the PostgreSQL wire protocol to many connections.
 *
 * PGlite is a single backend session, while a pooled client (pg, Prisma) spreads work over
 * several connections that each assume a session of their own. Interleaving their messages one
 * by one breaks the extended query protocol: connection A's Bind meets connection B's unnamed
 * statement ("bind message supplies 11 parameters, but prepared statement "" requires 4"). So a
 * connection holds the session — its *turn* — from its first message until the session is idle
 * again (ReadyForQuery with status `I`): a whole Parse…Sync exchange, and a whole transaction.
 * Other connections wait their turn in arrival order.
 *
 * Named prepared statements and portals get a per-connection prefix on the way in, so two
 * connections preparing the same name do not collide in the shared session, as on a real server;
 * they are closed when their connection goes. Notifications, which PGlite hands to whichever
 * connection ran the committing statement, go to the connections that asked to LISTEN.
 */
export interface EmbeddedServer {
  port: number;
  close(): Promise<void>;
}

/** Where a connection's failure happened. */
export type EmbeddedServerFailure = 'socket' | 'message' | 'clean-up';

/** Receives what goes wrong on a connection; the connection is closed either way. */
export type EmbeddedServerErrorHandler = (
  error: unknown,
  where: { connection: number; during: EmbeddedServerFailure },
) => void;

/** A line on stderr, as a server log would show it, when the caller gives no handler. */
const logToStderr: EmbeddedServerErrorHandler = (error, { connection, during }) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`embedded database: connection ${connection}: ${during} failed: ${message}`);
};

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const NOTIFICATION = 0x41; // 'A'
const LISTEN = /^\s*(listen|unlisten)\s+(?:"((?:[^"]|"")+)"|(\*|[\p{L}_][\p{L}\p{N}_$]*))\s*;?\s*$/iu;

/** FIFO hand-over of the one session between connections. */
class SessionTurn {
  private held = false;
  private readonly waiting: Array<() => void> = [];

  async acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  /** Connections waiting for the session. */
  get queued(): number {
    return this.waiting.length;
  }
}

function cstringEnd(message: Buffer, from: number): number {
  const end = message.indexOf(0, from);
  if (end < 0) throw new Error('malformed message: unterminated string');
  return end;
}

/** The message with the C string at `at` given `prefix` (when it is not empty), length fixed. */
function prefixName(message: Buffer, at: number, prefix: string): { message: Buffer; name: string } {
  const end = cstringEnd(message, at);
  const name = message.toString('utf8', at, end);
  if (name === '') return { message, name };
  const out = Buffer.concat([message.subarray(0, at), Buffer.from(prefix), message.subarray(at)]);
  out.writeInt32BE(out.length - 1, 1);
  return { message: out, name: prefix + name };
}

/** What the connections share: the session's turn, and who listens to which channel. */
interface Hub {
  turn: SessionTurn;
  connections: Set<Connection>;
  /** How long a connection may keep the session idle in a transaction while others wait. */
  idleInTransactionMs: number;
  onError: EmbeddedServerErrorHandler;
}

class Connection {
  /** Channels this connection LISTENs to (the session listens on behalf of all). */
  readonly channels = new Set<string>();
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private holdsTurn = false;
  private closed = false;
  private pumping: Promise<void> = Promise.resolve();
  private readonly prefix: string;
  private readonly id: number;
  private readonly statements = new Set<string>();
  private idleGuard: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly hub: Hub,
    private readonly socket: Socket,
    id: number,
  ) {
    this.id = id;
    this.prefix = `c${id}.`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      clearTimeout(this.idleGuard);
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      // One chain per connection keeps its messages in order however the data events arrive.
      this.pumping = this.pumping
        .then(() => this.drain())
        .catch((error: unknown) => {
          // A message the session could not take (malformed, or PGlite failed on it): the
          // connection cannot go on in step with its client.
          this.report(error, 'message');
          this.socket.destroy();
        });
    });
    // A client that goes away mid-exchange (reset, broken pipe): 'close' follows and cleans up.
    socket.on('error', (error) => this.report(error, 'socket'));
    socket.on('close', () => {
      this.closed = true;
      this.pumping = this.pumping
        .then(() => this.cleanUp())
        .catch((error: unknown) => this.report(error, 'clean-up'));
    });
  }

  private report(error: unknown, during: EmbeddedServerFailure): void {
    try {
      this.hub.onError(error, { connection: this.id, during });
    } catch {
      // A failing reporter must not take the server down with it.
    }
  }

  /** Done once everything queued before it (including the clean-up of a closed socket) ran. */
  settled(): Promise<void> {
    return this.pumping;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const message = this.nextMessage();
      if (!message) break;
      await this.handle(message);
    }
    if (this.holdsTurn) this.guardIdleTurn();
  }

  /**
   * A connection holding the session in a transaction while its client does something else
   * blocks every other connection (on a real server it would only hold its locks). Past the
   * limit, with others waiting, it is ended as PostgreSQL's idle_in_transaction_session_timeout
   * would end it, and its transaction rolled back.
   */
  private guardIdleTurn(): void {
    clearTimeout(this.idleGuard);
    this.idleGuard = setTimeout(() => {
      if (!this.holdsTurn || this.closed) return;
      if (this.hub.turn.queued === 0) {
        this.guardIdleTurn();
        return;
      }
      this.send(
        fatalError(
          '25P03',
          `terminating connection: idle in a transaction for over ${this.hub.idleInTransactionMs} ms while other connections waited (the embedded database serves one transaction at a time)`,
        ),
      );
      this.socket.destroy();
    }, this.hub.idleInTransactionMs);
    this.idleGuard.unref();
  }

  private nextMessage(): Buffer | undefined {
    // Before the startup message, frames have no type byte: Int32 length, Int32 code.
    const header = this.started ? 5 : 4;
    if (this.buffer.length < header) return undefined;
    const length = this.started ? 1 + this.buffer.readInt32BE(1) : this.buffer.readInt32BE(0);
    if (length < header || this.buffer.length < length) return undefined;
    const message = this.buffer.subarray(0, length);
    this.buffer = this.buffer.subarray(length);
    return message;
  }

  private async handle(message: Buffer): Promise<void> {
    if (!this.started) {
      const code = message.length >= 8 ? message.readInt32BE(4) : 0;
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        this.socket.write('N'); // No encryption on a loopback database; the client goes on in clear.
        return;
      }
      if (code === CANCEL_REQUEST) {
        this.socket.end(); // PGlite cannot interrupt a running query.
        return;
      }
      this.started = true;
    } else if (message[0] === 0x58 /* 'X' Terminate */) {
      this.socket.end();
      return;
    } else {
      message = this.namespaced(message);
    }
    if (!this.holdsTurn) {
      await this.hub.turn.acquire();
      this.holdsTurn = true;
    }
    const raw = await this.exec(message);
    const reply = this.routeNotifications(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
    this.send(reply);
    if (endsIdle(reply)) this.releaseTurn();
  }

  send(data: Buffer): void {
    if (data.length > 0 && !this.socket.destroyed) this.socket.write(data);
  }

  /** Takes the NotificationResponses out of a reply and sends each to its listeners. */
  private routeNotifications(reply: Buffer): Buffer {
    let kept: Buffer[] | undefined;
    let from = 0;
    for (let at = 0; at + 5 <= reply.length; ) {
      const end = at + 1 + reply.readInt32BE(at + 1);
      if (reply[at] === NOTIFICATION) {
        kept ??= [];
        kept.push(reply.subarray(from, at));
        from = end;
        const frame = reply.subarray(at, end);
        const channel = frame.toString('utf8', 9, cstringEnd(frame, 9));
        for (const connection of this.hub.connections) {
          if (connection.channels.has(channel)) connection.send(frame);
        }
      }
      at = end;
    }
    if (!kept) return reply;
    kept.push(reply.subarray(from));
    return Buffer.concat(kept);
  }

  /** Notes the channels a LISTEN / UNLISTEN in this statement text is about. */
  private trackListen(sql: string): void {
    const listen = LISTEN.exec(sql);
    if (!listen) return;
    const [, command, quoted, bare] = listen;
    const channel = quoted !== undefined ? quoted.replaceAll('""', '"') : bare!.toLowerCase();
    if (command!.toLowerCase() === 'listen') this.channels.add(channel);
    else if (channel === '*') this.channels.clear();
    else this.channels.delete(channel);
  }

  /** Gives named statements and portals this connection's prefix. */
  private namespaced(message: Buffer): Buffer {
    switch (message[0]) {
      case 0x51 /* 'Q' Query */:
        this.trackListen(message.toString('utf8', 5, message.length - 1));
        return message;
      case 0x50 /* 'P' Parse: statement name first */:
        {
          const parsed = prefixName(message, 5, this.prefix);
          if (parsed.name) this.statements.add(parsed.name);
          return parsed.message;
        }
      case 0x42 /* 'B' Bind: portal name, then statement name */:
        {
          const portal = prefixName(message, 5, this.prefix).message;
          return prefixName(portal, cstringEnd(portal, 5) + 1, this.prefix).message;
        }
      case 0x45 /* 'E' Execute: portal name */:
        return prefixName(message, 5, this.prefix).message;
      case 0x44 /* 'D' Describe */:
      case 0x43 /* 'C' Close: 'S' or 'P', then the name */:
        {
          const named = prefixName(message, 6, this.prefix);
          if (message[0] === 0x43 && message[5] === 0x53) this.statements.delete(named.name);
          return named.message;
        }
      default:
        return message;
    }
  }

  private exec(message: Uint8Array): Promise<Uint8Array> {
    return this.db.runExclusive(() => this.db.execProtocolRaw(message));
  }

  private releaseTurn(): void {
    clearTimeout(this.idleGuard);
    if (!this.holdsTurn) return;
    this.holdsTurn = false;
    this.hub.turn.release();
  }

  /** Leaves the shared session as if this connection's own session had ended. */
  private async cleanUp(): Promise<void> {
    if (!this.started) return;
    if (!this.holdsTurn && this.statements.size === 0) return;
    if (!this.holdsTurn) {
      await this.hub.turn.acquire();
      this.holdsTurn = true;
    }
    try {
      // Ends a half-sent extended exchange, then the transaction it left open, if any.
      await this.exec(frame('S', ''));
      if (this.db.isInTransaction()) await this.exec(simpleQuery('ROLLBACK'));
      for (const name of this.statements) await this.exec(closeStatement(name));
      if (this.statements.size > 0) await this.exec(frame('S', ''));
    } finally {
      this.statements.clear();
      this.releaseTurn();
    }
  }
}

function endsIdle(reply: Uint8Array): boolean {
  const at = reply.length - 6;
  return at >= 0 && reply[at] === READY_FOR_QUERY && reply[at + 5] === IDLE;
}

/** A protocol message: type byte, Int32 length (itself included), body. */
function frame(type: string, body: string): Buffer {
  const content = Buffer.from(body);
  const message = Buffer.alloc(5 + content.length);
  message.write(type, 0, 'latin1');
  message.writeInt32BE(4 + content.length, 1);
  content.copy(message, 5);
  return message;
}

const simpleQuery = (sql: string) => frame('Q', `${sql}\0`);
const closeStatement = (name: string) => frame('C', `S${name}\0`);
/** A FATAL ErrorResponse, as a server sends before it closes a connection. */
const fatalError = (code: string, text: string) => frame('E', `SFATAL\0VFATAL\0C${code}\0M${text}\0\0`);

export async function serveEmbeddedDatabase(
  db: PGlite,
  options: {
    host: string;
    port: number;
    idleInTransactionMs?: number | undefined;
    /** What goes wrong on a connection; default: a line on stderr. */
    onError?: EmbeddedServerErrorHandler | undefined;
  },
): Promise<EmbeddedServer> {
  await db.waitReady;
  const hub: Hub = {
    turn: new SessionTurn(),
    connections: new Set(),
    idleInTransactionMs: options.idleInTransactionMs ?? 30_000,
    onError: options.onError ?? logToStderr,
  };
  const { connections } = hub;
  let nextId = 1;
  const server = createServer((socket) => {
    const connection = new Connection(db, hub, socket, nextId++);
    connections.add(connection);
    socket.once('close', () => {
      void connection.settled().then(() => connections.delete(connection));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of connections) connection.destroy();
      await closed;
      await Promise.all([...connections].map((connection) => connection.settled()));
    },
  };
}
