// npm run db:migrate: the release step. Applies pending migrations to DATABASE_URL, or to the
// embedded database in DATA_DIR when DATABASE_URL is unset, under the same advisory lock as the
// servers' boot-time migrations (so it is safe while instances start). Compiled into
// dist/server/db-migrate.js by `npm run build`, so production installs run it without tsx.
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { migrateUnderLock } from '../server/db/migrator.ts';
import { EnvError, parseEnv } from '../server/env.ts';

try {
  const env = parseEnv(process.env);
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres(env.DATA_DIR);
  const { applied } = await migrateUnderLock(env.DATABASE_URL ?? embedded!.url, {
    onWait: () => console.log('Another process is migrating: waiting for it…'),
  });
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  await embedded?.stop();
  process.exit(0);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
