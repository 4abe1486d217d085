// How the app gets its StripeConnection (server/stripe/client.ts): the emulator when there is no
// key (with the app's webhook endpoint registered and its secret exposed), real Stripe with one,
// and never the emulator in production.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../server/env.ts';
import {
  createStripeFactory,
  describeStripe,
  retryWebhooksNow,
  StripeConfigError,
  webhookUrlFor,
} from '../server/stripe/client.ts';
import { EmulatorDriver } from './driver.ts';
import { startReceiver, type Receiver } from './testing.ts';

const log = pino({ level: 'silent' });
let rx: Receiver;
let dataDir: string;

beforeAll(async () => {
  rx = await startReceiver();
  dataDir = mkdtempSync(path.join(tmpdir(), 'creditdesk-emulator-'));
});
afterAll(async () => {
  await rx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}) {
  const publicUrl = new URL(rx.url).origin;
  return parseEnv({ NODE_ENV: 'development', LOG_LEVEL: 'silent', PUBLIC_URL: publicUrl, DATA_DIR: dataDir, ...extra });
}

describe('without STRIPE_SECRET_KEY', () => {
  it('starts the emulator, registers the app webhook endpoint, and exposes its whsec secret', async () => {
    const factory = createStripeFactory({ timeScale: 0.0001, stateFile: null });
    const { connection, stop } = await factory(env(), log);
    try {
      expect(connection?.mode).toBe('emulator');
      const client = connection?.client as Stripe;
      expect(client.getApiField('host')).toBe('127.0.0.1');
      expect(client.getApiField('protocol')).toBe('http');
      expect(client.getApiField('version')).toBe('2026-10-28.endive');
      const endpoints = await client.webhookEndpoints.list();
      expect(endpoints.data.map((e) => [e.url, e.enabled_events, e.api_version])).toEqual([
        [webhookUrlFor(env()), ['*'], '2026-10-28.endive'],
      ]);
      expect(connection?.webhookSecrets).toHaveLength(1);
      expect(connection?.webhookSecrets[0]).toMatch(/^whsec_/);

      rx.reset();
      await client.customers.create({ email: 'wired@example.com' });
      const [req] = await rx.waitFor(1);
      expect(req?.path).toBe('/api/stripe/webhook');
      const event = client.webhooks.constructEvent(
        String(req?.body),
        String(req?.headers['stripe-signature']),
        connection?.webhookSecrets[0] ?? '',
      );
      expect(event.type).toBe('customer.created');

      const driver = EmulatorDriver.fromStripe(client);
      expect((await driver.health()).counts.customer).toBe(1);
    } finally {
      await stop();
    }
  });

  it('keeps Stripe state and the same webhook secret across restarts (state file in DATA_DIR)', async () => {
    const stateFile = path.join(dataDir, 'stripe-emulator.json');
    const first = await createStripeFactory({ stateFile })(env(), log);
    const customer = await (first.connection?.client as Stripe).customers.create({ email: 'kept@example.com' });
    const secret = first.connection?.webhookSecrets[0];
    await EmulatorDriver.fromStripe(first.connection?.client as Stripe).waitForIdle();
    await first.stop();

    const second = await createStripeFactory({ stateFile })(env(), log);
    try {
      const client = second.connection?.client as Stripe;
      expect((await client.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
        email: 'kept@example.com',
      });
      expect(second.connection?.webhookSecrets).toEqual([secret]);
      expect((await client.webhookEndpoints.list()).data).toHaveLength(1);
      const deliveries = await EmulatorDriver.fromStripe(client).listDeliveries({ type: 'customer.created' });
      expect(deliveries.map((d) => [d.status, d.attempts.length])).toEqual([['succeeded', 1]]);
    } finally {
      await second.stop();
    }
  });

  it('replaces its endpoint when PUBLIC_URL changes', async () => {
    const stateFile = path.join(dataDir, 'moved.json');
    const first = await createStripeFactory({ stateFile })(env(), log);
    await first.stop();
    const moved = env({ PUBLIC_URL: 'http://127.0.0.1:9' });
    const second = await createStripeFactory({ stateFile })(moved, log);
    try {
      const endpoints = await (second.connection?.client as Stripe).webhookEndpoints.list();
      expect(endpoints.data.map((e) => e.url)).toEqual(['http://127.0.0.1:9/api/stripe/webhook']);
    } finally {
      await second.stop();
    }
  });

  it('retries webhooks that failed while the app was starting as soon as it listens', async () => {
    const late = await startReceiver();
    const port = Number(new URL(late.url).port);
    await late.close();
    // The app is not listening yet: the first attempt fails, the next one waits 5 minutes.
    const { connection, stop } = await createStripeFactory({ timeScale: 1, stateFile: null })(
      env({ PUBLIC_URL: `http://127.0.0.1:${port}` }),
      log,
    );
    let app: Receiver | null = null;
    try {
      expect(describeStripe(connection)).toMatch(/^emulator \(Stripe's side: http:\/\/127\.0\.0\.1:\d+\/_emulator\)$/);
      const client = connection?.client as Stripe;
      const driver = EmulatorDriver.fromStripe(client);
      await client.customers.create({ email: 'early@example.com' });
      await driver.waitForIdle();
      expect((await driver.listDeliveries())[0]).toMatchObject({
        status: 'pending',
        attempts: [{ error: 'ECONNREFUSED' }],
      });
      app = await startReceiver(port);
      await retryWebhooksNow(connection, log);
      expect(app.types()).toEqual(['customer.created']);
      expect((await driver.listDeliveries())[0]?.status).toBe('succeeded');
    } finally {
      await stop();
      await app?.close();
    }
  });

  it('refuses production', async () => {
    const prod = parseEnv({
      NODE_ENV: 'production',
      AUTH_SECRET: 'x'.repeat(40),
      DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/db',
      DATA_DIR: dataDir,
    });
    await expect(createStripeFactory()(prod, log)).rejects.toBeInstanceOf(StripeConfigError);
    await expect(createStripeFactory()(prod, log)).rejects.toThrow(/without STRIPE_SECRET_KEY/);
  });
});

describe('with STRIPE_SECRET_KEY', () => {
  it('uses real Stripe, API version pinned, secrets from STRIPE_WEBHOOK_SECRET', async () => {
    const test = await createStripeFactory()(
      env({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_a, whsec_b' }),
      log,
    );
    expect(test.connection?.mode).toBe('test');
    expect(test.connection?.webhookSecrets).toEqual(['whsec_a', 'whsec_b']);
    const client = test.connection?.client as Stripe;
    expect(client.getApiField('host')).toBe('api.stripe.com');
    expect(client.getApiField('version')).toBe('2026-10-28.endive');
    await test.stop();
    const live = await createStripeFactory()(env({ STRIPE_SECRET_KEY: 'rk_live_abc' }), log);
    expect(live.connection?.mode).toBe('live');
    expect(describeStripe(live.connection)).toBe('live mode');
    expect(describeStripe(null)).toBe('not configured');
    expect(live.connection?.webhookSecrets).toEqual([]);
  });
});
