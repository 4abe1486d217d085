// The embedded PostgreSQL used when DATABASE_URL is unset: PGlite (Postgres compiled to wasm)
// persisted in DATA_DIR and served on a loopback port by pglite-socket, so Prisma, pg-boss and
// auth connect to it with an ordinary postgresql:// URL.
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
  // Several connections: pools open more than one. pglite-socket queues their queries on the
  // single PGlite session and keeps an open transaction's queries together.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 32 });
  await server.start();
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
