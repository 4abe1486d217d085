// Helpers for tests (this suite and the app's integration/e2e tests): an emulator with a
// compressed clock, the official SDK pointed at it, the control driver, and a tiny local HTTP
// receiver that records webhook deliveries.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { API_VERSION, type EmulatorOptions } from './config.ts';
import { EmulatorDriver } from './driver.ts';
import { startStripeEmulator, type RunningEmulator } from './index.ts';

export interface TestEmulator {
  running: RunningEmulator;
  stripe: Stripe;
  driver: EmulatorDriver;
  url: string;
  stop(): Promise<void>;
}

/** Fast by default: an hour of backoff takes 36 ms. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const running = await startStripeEmulator({ timeScale: 0.00001, deliveryTimeoutMs: 2000, ...options });
  const stripe = new Stripe('sk_test_emulator_tests', {
    apiVersion: API_VERSION,
    host: '127.0.0.1',
    port: running.port,
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  return { running, stripe, driver: new EmulatorDriver(running.url), url: running.url, stop: () => running.stop() };
}

export interface ReceivedRequest {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; [key: string]: unknown };
}

export type Responder = (
  req: ReceivedRequest,
  index: number,
) => { status: number; delayMs?: number } | Promise<{ status: number; delayMs?: number }>;

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Replaces how the receiver answers (default: 200 at once). */
  respond(fn: Responder): void;
  /** Resolves once `n` requests arrived (or rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  types(): string[];
  /** Forgets what was received and answers 200 again. */
  reset(): void;
  close(): Promise<void>;
}

/** `port` 0 picks a free port; a fixed one lets a test start "the app" late on a known address. */
export async function startReceiver(port = 0): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let responder: Responder = () => ({ status: 200 });
  let waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const entry: ReceivedRequest = {
          at: Date.now(),
          path: req.url ?? '/',
          headers: req.headers,
          body,
          event: JSON.parse(body) as ReceivedRequest['event'],
        };
        const index = received.length;
        received.push(entry);
        for (const w of [...waiters]) w();
        const answer = await responder(entry, index);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ received: true }));
      })();
    });
  });
  server.keepAliveTimeout = 75_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/webhook`,
    received,
    respond(fn) {
      responder = fn;
    },
    waitFor(n, timeoutMs = 5000) {
      if (received.length >= n) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(
            new Error(
              `receiver got ${received.length} of ${n} requests: ${received.map((r) => r.event.type).join(', ')}`,
            ),
          );
        }, timeoutMs);
        const check = (): void => {
          if (received.length < n) return;
          clearTimeout(timer);
          waiters = waiters.filter((w) => w !== check);
          resolve(received.slice());
        };
        waiters.push(check);
      });
    },
    types: () => received.map((r) => r.event.type),
    reset() {
      received.length = 0;
      responder = () => ({ status: 200 });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Registers a webhook endpoint for `url` and returns it with its secret. */
export async function addEndpoint(
  stripe: Stripe,
  url: string,
  events: string[] = ['*'],
): Promise<Stripe.WebhookEndpoint & { secret: string }> {
  const e = await stripe.webhookEndpoints.create({
    url,
    enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
    api_version: API_VERSION,
  });
  return e as Stripe.WebhookEndpoint & { secret: string };
}

/** A product with a one-time price (credit pack) and a monthly price (plan). */
export async function seedCatalog(
  stripe: Stripe,
): Promise<{ pack: Stripe.Price; plan: Stripe.Price; product: Stripe.Product }> {
  const product = await stripe.products.create({ name: 'Creditdesk AI' });
  const pack = await stripe.prices.create({
    product: product.id,
    currency: 'eur',
    unit_amount: 1000,
    lookup_key: `pack_${product.id}`,
    metadata: { credits: '500' },
  });
  const plan = await stripe.prices.create({
    product: product.id,
    currency: 'eur',
    unit_amount: 2000,
    recurring: { interval: 'month' },
    lookup_key: `plan_${product.id}`,
    metadata: { plan: 'pro' },
  });
  return { pack, plan, product };
}
