// Turns a parsed environment into running dependencies: the database (embedded or not),
// migrations, auth and Stripe. Shared by the server, scripts and the e2e launcher.
import path from 'node:path';
import pino from 'pino';
import { createAuth } from './auth.ts';
import { allowedOrigins } from './http/allowed-origins.ts';
import { ChangeFeed } from './db/change-feed.ts';
import { createPrisma } from './db/client.ts';
import { isSharedSession } from './db/shared-session.ts';
import { migrateUnderLock } from './db/migrator.ts';
import type { Deps, StripeConnection } from './deps.ts';
import type { Env } from './env.ts';
import { loggerOptions } from './lib/logger.ts';

export interface Booted {
  deps: Deps;
  databaseUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export type StripeFactory = (
  env: Env,
  log: Deps['log'],
) => Promise<{ connection: StripeConnection | null; stop(): Promise<void> }>;

export class PendingMigrationsError extends Error {
  constructor(readonly pending: string[]) {
    super(
      `The database is missing ${pending.length} migration(s) (${pending.join(', ')}) and MIGRATE_ON_BOOT=false: ` +
        'run `npm run db:migrate` (the release step) first.',
    );
    this.name = 'PendingMigrationsError';
  }
}

export async function boot(env: Env, options: { stripe?: StripeFactory } = {}): Promise<Booted> {
  const log = pino(loggerOptions(env.LOG_LEVEL));
  const stops: Array<() => Promise<void>> = [];

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    // Loaded only here: a server on DATABASE_URL never holds PGlite's code in memory.
    const { startEmbeddedPostgres } = await import('./db/embedded.ts');
    const embedded = await startEmbeddedPostgres(env.DATA_DIR);
    databaseUrl = embedded.url;
    stops.push(() => embedded.stop());
    log.info({ dataDir: path.relative(process.cwd(), env.DATA_DIR) || '.' }, 'embedded PostgreSQL (PGlite) started');
  }

  // Several processes may boot together on one database: migrateUnderLock serialises them. With
  // MIGRATE_ON_BOOT=false (migrations are the release step, `npm run db:migrate`) a database that
  // is behind this code stops the boot instead of serving with a schema it does not match.
  const migration = await migrateUnderLock(databaseUrl, {
    apply: env.MIGRATE_ON_BOOT,
    onWait: () => log.info('another process is migrating the database: waiting for it'),
  });
  if (migration.applied.length) log.info({ applied: migration.applied }, 'migrations applied');
  if (migration.pending.length) {
    await Promise.all(stops.map((stop) => stop()));
    throw new PendingMigrationsError(migration.pending);
  }

  const prisma = createPrisma(databaseUrl);
  stops.unshift(() => prisma.$disconnect());
  const auth = createAuth({
    prisma,
    secret: env.AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: [...allowedOrigins(env)],
  });

  // One change feed per process for every cache (server/db/change-feed.ts); none on the embedded
  // database, which delivers no notifications.
  const changeFeed = isSharedSession(databaseUrl) ? null : new ChangeFeed(databaseUrl, log);
  if (changeFeed) {
    void changeFeed.start();
    stops.unshift(() => changeFeed.stop());
  }

  let stripe: StripeConnection | null = null;
  if (options.stripe) {
    const started = await options.stripe(env, log);
    stripe = started.connection;
    stops.unshift(() => started.stop());
  }

  return {
    deps: { env, prisma, auth, log, stripe, databaseUrl, changeFeed },
    databaseUrl,
    embedded: !env.DATABASE_URL,
    async stop() {
      for (const stop of stops) await stop().catch((err: unknown) => log.error({ err }, 'shutdown step failed'));
    },
  };
}
