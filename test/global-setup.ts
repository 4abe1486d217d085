// With TEST_DATABASE_URL (CI, and any machine with PostgreSQL): migrate one template database
// per migration set, so every test file can clone its own database from it in milliseconds.
// Without it, each test file starts its own in-memory embedded PostgreSQL (see test/db.ts).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { applyMigrations, readMigrations } from '../server/db/migrator.ts';

export function templateName(): string {
  const hash = createHash('sha256');
  for (const dir of readMigrations().migrationDirectories) {
    hash.update(dir.path);
    if (dir.migrationFile.content.tag === 'ok') hash.update(dir.migrationFile.content.value);
  }
  return `creditdesk_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const name = templateName();
  // Workers clone this exact template, even if a migration is added while the run is going.
  process.env.CREDITDESK_TEST_TEMPLATE = name;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      // Build under a temporary name and rename: a half-migrated template is never used.
      const building = `${name}_building_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(withDatabase(url, building));
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`).catch(async () => {
        await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      });
    }
    // Leftovers from interrupted runs: test databases carry their creation time in the name, so
    // only those older than two hours go (a concurrent run's databases are left alone).
    const cutoff = Math.floor(Date.now() / 1000) - 2 * 3600;
    // Templates of other migration sets stay: a concurrent run may be cloning from one.
    const stale = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'creditdesk\\_t\\_%'");
    for (const row of stale.rows as Array<{ datname: string }>) {
      const created = Number(/^creditdesk_t_(\d+)_/.exec(row.datname)?.[1] ?? 0);
      if (created >= cutoff) continue;
      await admin.query(`DROP DATABASE IF EXISTS "${row.datname}"`).catch(() => {});
    }
  } finally {
    await admin.end();
  }
}
