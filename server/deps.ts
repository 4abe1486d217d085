// Everything a request or job needs, built once at boot (or per test) and passed down explicitly.
import type { FastifyBaseLogger } from 'fastify';
import type Stripe from 'stripe';
import type { Auth } from './auth.ts';
import type { ChangeFeed } from './db/change-feed.ts';
import type { Db } from './db/client.ts';
import type { Env } from './env.ts';
import type { JobWaker } from './jobs/wake.ts';

export interface StripeConnection {
  client: Stripe;
  /** "emulator" when the SDK talks to our local Stripe stand-in; "test"/"live" for real keys. */
  mode: 'emulator' | 'test' | 'live';
  webhookSecrets: string[];
  /** The event pipeline's client (short timeout, background retries); derived from `client` when unset. */
  pipelineClient?: Stripe;
  /** Emulator only: what its control API requires (the app drives demo payments through it). */
  emulatorControlToken?: string;
}

export interface Deps {
  env: Env;
  prisma: Db;
  auth: Auth;
  log: FastifyBaseLogger;
  stripe: StripeConnection | null;
  /** The database's postgresql:// URL, for code that streams rows with node-postgres (CSV exports). */
  databaseUrl?: string;
  /**
   * The process's change feed (LISTEN/NOTIFY), shared by every in-memory cache (the service API's
   * and the event pipeline's) and the job runner's wakes. Unset: the service API opens its own, the
   * pipeline reads the database, the runner looks for work itself.
   */
  changeFeed?: ChangeFeed | null;
  /** Wakes a background job now; attached once the job runner has started (server/index.ts). */
  jobs?: JobWaker | null;
}
