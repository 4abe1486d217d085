// Migrations through Prisma's wasm schema engine. The Prisma CLI cannot download its native
// engine on our machines (and `prisma migrate` with a dummy binary silently does nothing), so
// `db:migrate`, `db:migration`, the server's boot and the drift test all come through here.
// The engine writes Prisma's standard `_prisma_migrations` table, so `prisma migrate deploy`
// stays compatible wherever the native binary exists.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PROJECT_ROOT } from '../lib/project-root.ts';

export { PROJECT_ROOT };

export const SCHEMA_PATH = path.join(PROJECT_ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma/migrations');

type Engine = Awaited<ReturnType<typeof bg.SchemaEngine.new>>;
type MigrationList = Parameters<Engine['applyMigrations']>[0]['migrationsList'];

let wasmReady = false;
function loadWasm(): void {
  if (wasmReady) return;
  // The package does not export its .wasm file: find it beside the JS glue.
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    './schema_engine_bg.js': bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  wasmReady = true;
}

/**
 * A throwaway in-memory PGlite. Loaded on demand: a server whose database is up to date never
 * needs it (nor its memory).
 */
async function scratchDb() {
  const [{ PGlite }, { PrismaPGlite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('pglite-prisma-adapter'),
  ]);
  return new PrismaPGlite(new PGlite()).connect();
}

/** An in-memory PGlite as both target and shadow: enough for diffs, which touch no real data. */
function scratchFactory(): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pglite',
    connect: scratchDb,
    connectToShadowDb: scratchDb,
  };
}

/**
 * The adapter factory for the target database. PrismaPg's own shadow database handling is broken
 * here (see TOOLCHAIN.md), so diffs use a throwaway in-memory PGlite as the shadow database.
 */
function adapterFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const factory = new PrismaPg(pool);
  return {
    provider: 'postgres',
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      // adapter-pg splits scripts on every ";" (even inside quoted function bodies). Send the
      // migration as one simple-protocol query instead: PostgreSQL runs it atomically.
      adapter.executeScript = async (script: string) => {
        await pool.query(script);
      };
      return adapter;
    },
    connectToShadowDb: scratchDb,
    // The engine does not dispose its adapter on free(): close the pool ourselves, or the
    // database stays "in use" (CREATE ... TEMPLATE and DROP DATABASE then fail).
    close: () => pool.end(),
  };
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  loadWasm();
  const schema = readFileSync(SCHEMA_PATH, 'utf8');
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
    if ('close' in factory && typeof factory.close === 'function') await factory.close();
  }
}

export function readMigrations(): MigrationList {
  const dirs = existsSync(MIGRATIONS_DIR)
    ? readdirSync(MIGRATIONS_DIR)
        .filter((name) => statSync(path.join(MIGRATIONS_DIR, name)).isDirectory())
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, 'migration_lock.toml');
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((dir) => {
      const file = path.join(MIGRATIONS_DIR, dir, 'migration.sql');
      return {
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `missing ${file}` },
        },
      };
    }),
  };
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

/** Applies every pending migration; returns the names applied. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withEngine(adapterFactory(databaseUrl), async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(), filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
}

/** Any number; every Creditdesk process uses the same one for "migrating now". */
const MIGRATION_LOCK_KEY = 4_207_310_020;

/**
 * Boot-time and release-step migrations for several processes on one database: under a
 * PostgreSQL advisory lock (a second process waits, then finds nothing pending), and without
 * loading the wasm engine at all when `_prisma_migrations` already lists every migration (the
 * usual boot, which then costs one query and no engine memory).
 */
export async function migrateUnderLock(
  databaseUrl: string,
  options: { apply?: boolean; onWait?: () => void } = {},
): Promise<{ applied: string[]; pending: string[] }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const got = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      MIGRATION_LOCK_KEY,
    ]);
    if (!got.rows[0]?.locked) {
      options.onWait?.();
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    try {
      const pending = await pendingMigrations(client);
      if (!pending.length || options.apply === false) return { applied: [], pending };
      return { applied: await applyMigrations(databaseUrl), pending: [] };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Migration directories not yet recorded as applied (all of them on an empty database). */
async function pendingMigrations(client: pg.Client): Promise<string[]> {
  const all = readMigrations().migrationDirectories.map((d) => d.path);
  const table = await client.query<{ name: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS name");
  if (!table.rows[0]?.name) return all;
  const done = await client.query<{ migration_name: string }>(
    'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
  );
  const applied = new Set(done.rows.map((r) => r.migration_name));
  return all.filter((name) => !applied.has(name));
}

/** SQL that would bring the migrations up to schema.prisma; empty when they agree. */
export async function diffMigrationsToSchema(): Promise<string> {
  return withEngine(scratchFactory(), async (engine) => {
    const schema = readFileSync(SCHEMA_PATH, 'utf8');
    const hasMigrations = readMigrations().migrationDirectories.length > 0;
    const result = await engine.diff({
      from: hasMigrations ? { tag: 'migrations', ...readMigrations() } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    const sql = result.stdout ?? '';
    // The engine answers an empty diff with a comment line only.
    return sql.replace(/^-- This is an empty migration\.\s*$/m, '').trim();
  });
}
