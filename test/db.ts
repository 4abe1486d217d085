// An isolated database per test file, on real PostgreSQL when TEST_DATABASE_URL is set
// (cloned from the migrated template) or on an in-memory embedded PostgreSQL otherwise.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma, type Db } from '../server/db/client.ts';
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { templateName, withDatabase } from './global-setup.ts';

export interface TestDatabase {
  url: string;
  prisma: Db;
  /** true on real PostgreSQL, where row locks and concurrency are real. */
  real: boolean;
  drop(): Promise<void>;
}

/** `embedded: true` uses the embedded database even when TEST_DATABASE_URL is set (one session). */
export async function createTestDatabase(options: { embedded?: boolean } = {}): Promise<TestDatabase> {
  const base = process.env.TEST_DATABASE_URL;
  if (base && !options.embedded) {
    const name = `creditdesk_t_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(
        `CREATE DATABASE "${name}" TEMPLATE "${process.env.CREDITDESK_TEST_TEMPLATE ?? templateName()}"`,
      );
    } finally {
      await admin.end();
    }
    const url = withDatabase(base, name);
    const prisma = createPrisma(url, { max: 20 });
    return {
      url,
      prisma,
      real: true,
      async drop() {
        await prisma.$disconnect();
        const a = new pg.Client({ connectionString: base });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => a.end());
      },
    };
  }
  const embedded = await startEmbeddedPostgres(null);
  await applyMigrations(embedded.url);
  const prisma = createPrisma(embedded.url);
  return {
    url: embedded.url,
    prisma,
    real: false,
    async drop() {
      await prisma.$disconnect();
      await embedded.stop();
    },
  };
}
