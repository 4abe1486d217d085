// The embedded PostgreSQL used when DATABASE_URL is unset: PGlite (Postgres compiled to wasm)
// persisted in DATA_DIR and served on a loopback port by pglite-socket, so Prisma, pg-boss and
// auth connect to it with an ordinary postgresql:// URL.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { markSharedSession } from './shared-session.ts';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const TERMINATE = 0x58; // 'X'

/**
 * pglite-socket multiplexes all connections onto PGlite's single session and queues protocol
 * *messages*; outside an explicit transaction it interleaves messages of different connections.
 * With the extended protocol (Parse/Bind/Execute/Sync as separate messages, which pg and Prisma
 * use for every parameterised query) one connection's Bind can then hit another connection's
 * unnamed statement, and queries "see" rows of another connection's transaction. This queue gives
 * one connection the session from its first message until a unit ends (Sync, simple Query,
 * Terminate or the start-up exchange) with no transaction open, so each connection behaves as if
 * it had its own session, serialised.
 */
function makeSessionSafe(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let owner: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owner's next message has not arrived yet
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        owner = item.handlerId;
        let bytes = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (err) {
          owner = db.isInTransaction() ? owner : null;
          item.reject(err);
          continue;
        }
        const type = item.message[0];
        // Start-up and authentication messages have no Sync after them; a Sync, a simple Query or a
        // Terminate ends a unit. The session stays with the owner while its transaction is open.
        const endsUnit = type === SYNC || type === QUERY || type === TERMINATE || type === 0 || type === 0x70;
        if (endsUnit && !db.isInTransaction()) owner = null;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (owner === handlerId) {
      // A connection that vanished mid-transaction must not keep the session (or its transaction).
      if (db.isInTransaction()) void db.exec('ROLLBACK');
      owner = null;
      void queue.processQueue();
    }
  };
}

/** `dataDir` null keeps the database in memory (tests). */
export async function startEmbeddedPostgres(dataDir: string | null): Promise<EmbeddedPostgres> {
  let db: PGlite;
  if (dataDir) {
    const dir = path.join(dataDir, 'pglite');
    // PGlite's own mkdir is not recursive.
    mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create(dir);
  } else {
    db = await PGlite.create();
  }
  const port = await freePort();
  // Several connections: pools open more than one; makeSessionSafe serialises them on PGlite's
  // single session.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
  makeSessionSafe(server, db);
  await server.start();
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`;
  markSharedSession(url);
  return {
    url,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
