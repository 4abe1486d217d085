// npm run db:migrate: applies pending migrations to DATABASE_URL, or to the embedded database in
// DATA_DIR when DATABASE_URL is unset (the server also does this at boot).
import { startEmbeddedPostgres } from '../server/db/embedded.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { EnvError, parseEnv } from '../server/env.ts';

try {
  const env = parseEnv(process.env);
  const embedded = env.DATABASE_URL ? null : await startEmbeddedPostgres(env.DATA_DIR);
  const applied = await applyMigrations(env.DATABASE_URL ?? embedded!.url);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  await embedded?.stop();
  process.exit(0);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
}
