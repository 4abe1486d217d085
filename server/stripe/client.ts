// The app's Stripe connection, built once at boot.
// - STRIPE_SECRET_KEY set: the real Stripe API, API version pinned; webhook secrets come from
//   STRIPE_WEBHOOK_SECRET (comma-separated during a secret roll-over).
// - Unset (development, demos, tests): the local Stripe emulator (emulator/), loaded through
//   server/dev/emulator-loader.ts so production never loads it, on a loopback port; the official SDK is pointed at it with its
//   host/port/protocol options, and a webhook endpoint for this app's
//   `${PUBLIC_URL}/api/stripe/webhook` is registered there with its own whsec_ secret.
import path from 'node:path';
import Stripe from 'stripe';
import type { StripeFactory } from '../boot.ts';
import { loadStripeEmulator } from '../dev/emulator-loader.ts';
import type { Deps, StripeConnection } from '../deps.ts';
import type { Env } from '../env.ts';

const STRIPE_API_VERSION = '2026-10-28.endive';

/** The emulator accepts any test key; this one makes its origin obvious in logs. */
const EMULATOR_SECRET_KEY = 'sk_test_creditdesk_emulator';
/** Marks the webhook endpoint this app registers in the emulator, so a stale one can be replaced. */
const ENDPOINT_MARKER = { managed_by: 'creditdesk' };
/**
 * Development speed for the emulator's waiting (retry backoff, delayed debits): one emulated
 * minute per real second, so Stripe's "retry in 5 minutes" happens in 5 seconds during a demo.
 */
const DEV_TIME_SCALE = 1 / 60;

/**
 * The event pipeline's Stripe calls run only in the background retry job (never before a
 * webhook's 2xx, see modules/stripe-events/stripe-access.ts): a short timeout and one quick retry,
 * because the job tries again on its own schedule. The SDK's defaults (80 s, 2 retries) would
 * hold the job for minutes behind a hanging Stripe.
 */
const PIPELINE_STRIPE_OPTIONS = { timeout: 10_000, maxNetworkRetries: 1 } as const;

export class StripeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripeConfigError';
  }
}

export const PRODUCTION_WITHOUT_KEY_MESSAGE =
  'Refusing to start in production without STRIPE_SECRET_KEY: the built-in Stripe emulator is for development, demos and tests only. Set STRIPE_SECRET_KEY (sk_live_... or rk_live_...) and STRIPE_WEBHOOK_SECRET.';

export function webhookUrlFor(env: Pick<Env, 'PUBLIC_URL'>): string {
  return `${env.PUBLIC_URL.replace(/\/+$/, '')}/api/stripe/webhook`;
}

function realStripe(env: Env, log: Deps['log']): StripeConnection {
  const key = env.STRIPE_SECRET_KEY as string;
  const options = { apiVersion: STRIPE_API_VERSION, maxNetworkRetries: 2, appInfo: { name: 'Creditdesk' } } as const;
  const client = new Stripe(key, options);
  const pipelineClient = new Stripe(key, { ...options, ...PIPELINE_STRIPE_OPTIONS });
  const webhookSecrets = env.STRIPE_WEBHOOK_SECRET ?? [];
  if (!webhookSecrets.length) {
    log.warn('STRIPE_WEBHOOK_SECRET is not set: incoming Stripe webhooks cannot be verified and will be rejected');
  }
  return { client, pipelineClient, mode: /^(sk|rk)_live_/.test(key) ? 'live' : 'test', webhookSecrets };
}

export interface EmulatorConnectionOptions {
  /** Real seconds per emulated second; see DEV_TIME_SCALE. */
  timeScale?: number;
  /** Where the emulator keeps its state; null = memory only. Default: DATA_DIR/stripe-emulator.json (not in tests). */
  stateFile?: string | null;
  /** Where the emulator delivers webhooks. Default: `${PUBLIC_URL}/api/stripe/webhook`. */
  webhookUrl?: string;
}

/** Finds this app's endpoint (created on an earlier run) or registers it; returns its secrets. */
async function ensureWebhookEndpoint(
  client: Stripe,
  url: string,
  secretsOf: (endpointId: string) => string[],
): Promise<string[]> {
  const existing = await client.webhookEndpoints.list({ limit: 100 });
  let current: Stripe.WebhookEndpoint | undefined;
  for (const e of existing.data) {
    if (e.metadata.managed_by !== ENDPOINT_MARKER.managed_by) continue;
    if (e.url === url && e.status === 'enabled' && !current) current = e;
    else await client.webhookEndpoints.del(e.id);
  }
  if (current) return secretsOf(current.id);
  const created = await client.webhookEndpoints.create({
    url,
    enabled_events: ['*'],
    api_version: STRIPE_API_VERSION,
    description: 'Creditdesk webhook (registered automatically in the Stripe emulator)',
    metadata: ENDPOINT_MARKER,
  });
  return created.secret ? [created.secret] : secretsOf(created.id);
}

/** A StripeFactory for boot(); options only matter when the emulator is used. */
export function createStripeFactory(options: EmulatorConnectionOptions = {}): StripeFactory {
  return async (env, log) => {
    if (env.STRIPE_SECRET_KEY) {
      return { connection: realStripe(env, log), stop: async () => {} };
    }
    if (env.NODE_ENV === 'production') throw new StripeConfigError(PRODUCTION_WITHOUT_KEY_MESSAGE);

    const { startStripeEmulator } = await loadStripeEmulator();
    const stateFile =
      options.stateFile !== undefined
        ? options.stateFile
        : env.NODE_ENV === 'test'
          ? null
          : path.join(env.DATA_DIR, 'stripe-emulator.json');
    const emulator = await startStripeEmulator({
      host: '127.0.0.1',
      port: env.STRIPE_EMULATOR_PORT,
      timeScale: options.timeScale ?? DEV_TIME_SCALE,
      stateFile,
      log: log.child({ component: 'stripe-emulator' }),
      controlToken: env.STRIPE_EMULATOR_CONTROL_TOKEN,
    });
    try {
      const sdkOptions = {
        apiVersion: STRIPE_API_VERSION,
        host: '127.0.0.1',
        port: emulator.port,
        protocol: 'http',
        maxNetworkRetries: 2,
        telemetry: false,
      } as const;
      const client = new Stripe(EMULATOR_SECRET_KEY, sdkOptions);
      const pipelineClient = new Stripe(EMULATOR_SECRET_KEY, { ...sdkOptions, ...PIPELINE_STRIPE_OPTIONS });
      const webhookSecrets = await ensureWebhookEndpoint(client, options.webhookUrl ?? webhookUrlFor(env), (id) =>
        emulator.webhookSecrets(id),
      );
      log.info(
        { url: emulator.url, dashboard: `${emulator.url}/_emulator`, stateFile },
        'Stripe emulator started (no STRIPE_SECRET_KEY)',
      );
      return {
        connection: {
          client,
          pipelineClient,
          mode: 'emulator',
          webhookSecrets,
          emulatorControlToken: emulator.controlToken,
        },
        stop: () => emulator.stop(),
      };
    } catch (err) {
      await emulator.stop();
      throw err;
    }
  };
}

/** The default factory: real Stripe with a key, the emulator without one. */
export const connectStripe: StripeFactory = createStripeFactory();

/** The emulator's base URL for a connection in emulator mode (from the SDK's host options). */
function emulatorUrl(connection: StripeConnection): string | null {
  if (connection.mode !== 'emulator') return null;
  const c = connection.client;
  return `${c.getApiField('protocol')}://${c.getApiField('host')}:${c.getApiField('port')}`;
}

/** One line for the startup banner. */
export function describeStripe(connection: StripeConnection | null): string {
  if (!connection) return 'not configured';
  const url = emulatorUrl(connection);
  return url ? `emulator (Stripe's side: ${url}/_emulator)` : `${connection.mode} mode`;
}

/**
 * Once the app listens: the emulator gives every webhook that failed while the app was down or
 * still starting one more attempt now, instead of after its backoff. Real Stripe retries on its
 * own schedule; nothing to do there.
 */
export async function retryWebhooksNow(connection: StripeConnection | null, log: Deps['log']): Promise<void> {
  const url = connection && emulatorUrl(connection);
  if (!url) return;
  try {
    const res = await fetch(`${url}/_emulator/deliveries/flush`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // The emulator's control API answers only the app that started it (emulator/control/control-token.ts).
        'emulator-control-token': connection.emulatorControlToken ?? '',
      },
      body: JSON.stringify({ once: true }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    log.warn({ err }, 'could not ask the Stripe emulator to retry pending webhooks');
  }
}
