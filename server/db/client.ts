// Prisma client over @prisma/adapter-pg. The embedded database is served on a loopback port, so
// production PostgreSQL and the embedded one take exactly the same path from here on.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { isSharedSession } from './shared-session.ts';
import { namedStatements } from './statement-names.ts';
import { EndsClient } from './transaction-ends.ts';

export type Db = PrismaClient;

/**
 * Every session the app opens runs in UTC. Columns are timestamptz, so what is stored never depends
 * on a session's zone; but Prisma's pg adapter sends a Date as UTC wall-clock text without an offset
 * and reads timestamptz text by replacing its offset with +00:00, both right only in a UTC session
 * (a server whose default zone is the host's, or a database with its own TimeZone setting, would
 * shift every DateTime Prisma writes or reads). A SET before the pool hands a new connection out,
 * rather than a startup option: an `options` parameter in DATABASE_URL would replace that.
 */
export const UTC_SESSIONS: Pick<pg.PoolConfig, 'onConnect'> = {
  onConnect: async (client) => {
    await client.query("SET TIME ZONE 'UTC'");
  },
};

const pools = new WeakMap<Db, pg.Pool>();
/** Clients on a shared session (the embedded database) send unnamed statements only. */
const sharedSession = new WeakSet<Db>();

export function createPrisma(databaseUrl: string, options: { max?: number } = {}): Db {
  // The pool is ours, handed to the adapter, so hot paths can share it (see pgPool); the client
  // still owns it: $disconnect ends it. Its clients can carry a statement with BEGIN and one with
  // COMMIT (transaction-ends.ts), except on a shared session, where the pipeline sends them apart.
  const shared = isSharedSession(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    ...UTC_SESSIONS,
    ...(shared ? {} : { Client: EndsClient }),
  });
  // An idle connection that breaks (server restart) must not crash the process before Prisma has
  // attached its own listener; the next query on the pool reports the problem.
  pool.on('error', () => {});
  // A shared session (the embedded database) takes unnamed statements only.
  const names = shared ? null : namedStatements();
  const db = new PrismaClient({
    adapter: new PrismaPg(pool, {
      disposeExternalPool: true,
      ...(names ? { statementNameGenerator: (query) => names.nameFor(query) } : {}),
    }),
  });
  pools.set(db, pool);
  if (shared) sharedSession.add(db);
  return db;
}

/**
 * The `pg` pool under a client made by createPrisma. For a hot path that sends one statement:
 * Prisma's per-query work (and an interactive transaction's) costs several times the round trip.
 */
export function pgPool(db: Db): pg.Pool {
  const pool = poolOf(db);
  if (!pool) throw new Error('pgPool: this Prisma client was not made by createPrisma');
  return pool;
}

/** The pool under a root client made by createPrisma; null for a transaction client. */
export function poolOf(db: object): pg.Pool | null {
  return pools.get(db as Db) ?? null;
}

/**
 * One statement on a hot path: a named (prepared once per connection) query straight on the pool
 * when `db` is a root client, through Prisma inside a transaction. Hot statements return jsonb or
 * plain numbers and text, which both roads decode alike.
 */
export async function hotQuery<T>(db: object, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = poolOf(db);
  if (pool) {
    const named = sharedSession.has(db as Db) ? {} : { name };
    return (await pool.query<T & pg.QueryResultRow>({ ...named, text, values })).rows;
  }
  return (db as Db).$queryRawUnsafe<T[]>(text, ...values);
}
