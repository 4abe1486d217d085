// End to end with the Stripe emulator: the product's backend asks for a Checkout page through the
// service API, the "customer" pays on the emulator, the emulator delivers signed webhooks over
// HTTP to the running app, and the ledger, plan and records follow. Covers a pack purchase, a
// delayed payment, a subscription with a renewal and a failed renewal that recovers, a refund made
// in the dashboard, a lost dispute and an early fraud warning.
import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { seedTestCatalog } from '../../test/stripe/harness.ts';
import { buildApp } from '../app.ts';
import type { Db } from '../db/client.ts';
import { EmulatorDriver } from '../../emulator/driver.ts';
import { createStripeFactory } from './client.ts';
import { until } from '../../test/until.ts';

const KEY = 'e2e-service-api-key-0123456789abcdef';
let t: TestContext;
let app: FastifyInstance;
let db: Db;
let stripe: Stripe;
let driver: EmulatorDriver;
let stopStripe: () => Promise<void>;
const prices: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY } });
  db = t.deps.prisma;
  await seedTestCatalog(db);
  app = await buildApp(t.deps, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // The emulator needs the app's address to deliver to, so the connection is attached after listen.
  const started = await createStripeFactory({
    timeScale: 0.00001,
    stateFile: null,
    webhookUrl: `${address}/api/stripe/webhook`,
  })(t.deps.env, t.deps.log);
  t.deps.stripe = started.connection;
  stopStripe = started.stop;
  stripe = started.connection!.client;
  driver = EmulatorDriver.fromStripe(stripe);

  // The emulator's prices replace the test catalog's, mapped as an admin would.
  await db.catalogPrice.deleteMany();
  for (const [key, amount, recurring] of [
    ['starter', 900, false],
    ['big', 2900, false],
    ['pro', 1900, true],
  ] as const) {
    const product = await stripe.products.create({ name: key });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: amount,
      ...(recurring ? { recurring: { interval: 'month' } } : {}),
    });
    prices[key] = price.id;
    await db.catalogPrice.create({
      data: { stripePriceId: price.id, ...(recurring ? { planKey: key } : { packKey: key }) },
    });
  }
});
afterAll(async () => {
  await stopStripe?.();
  await app?.close();
  await t?.db.drop();
});

async function checkout(customerId: string, body: { pack?: string; plan?: string }) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/checkout-sessions',
    headers: { authorization: `Bearer ${KEY}` },
    payload: { customerId, ...body, successUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/no' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; url: string };
}

async function customer(externalId: string, email = `${externalId}@example.com`) {
  return db.customer.upsert({ where: { externalId }, create: { externalId, email }, update: {} });
}

const balanceOf = async (externalId: string) =>
  (await db.customer.findUniqueOrThrow({ where: { externalId } })).balance;

async function settled() {
  await driver.waitForIdle({ timeoutMs: 15_000 });
  await until(async () => (await db.stripeEvent.count({ where: { status: { in: ['received', 'deferred'] } } })) === 0);
}

describe('with the Stripe emulator delivering real webhooks', () => {
  it('a pack bought through Checkout grants its credits once', async () => {
    await customer('e2e_pack');
    const session = await checkout('e2e_pack', { pack: 'starter' });
    const paid = await driver.payCheckoutSession(session.id, 'card_success');
    expect(paid.error).toBeNull();
    await until(async () => (await balanceOf('e2e_pack')) === 500);
    await settled();
    const payment = await db.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id } });
    expect(payment).toMatchObject({ status: 'paid', amount: 900, currency: 'eur', creditsGranted: 500 });
    const c = await db.customer.findUniqueOrThrow({ where: { externalId: 'e2e_pack' } });
    expect(c.stripeCustomerId).toMatch(/^cus_/);
    expect(await db.stripeEvent.count({ where: { status: 'failed' } })).toBe(0);

    // A dashboard refund of a third takes back the credits it pays for: ceil(500 / 3) = 167.
    await driver.refundFromDashboard(paid.charge!.id, 300);
    await until(async () => (await balanceOf('e2e_pack')) === 333);
    await settled();
    expect(await db.refund.findFirstOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      origin: 'stripe_dashboard',
      amount: 300,
      creditsClawedBack: 167,
    });
  });

  it('a delayed payment grants only when it settles', async () => {
    await customer('e2e_delayed');
    const session = await checkout('e2e_delayed', { pack: 'big' });
    const paid = await driver.payCheckoutSession(session.id, 'delayed_success', { settleAfterSeconds: null });
    await settled();
    expect(await balanceOf('e2e_delayed')).toBe(0);
    expect((await db.payment.findUniqueOrThrow({ where: { checkoutSessionId: session.id } })).status).toBe('pending');
    await driver.settlePayment(paid.payment_intent!.id, 'succeeded');
    await until(async () => (await balanceOf('e2e_delayed')) === 2000);
  });

  it('a subscription grants each period, keeps the plan through a failed renewal, and recovers', async () => {
    await customer('e2e_sub');
    const session = await checkout('e2e_sub', { plan: 'pro' });
    const paid = await driver.payCheckoutSession(session.id, 'card_success');
    const subId = paid.subscription!.id;
    await until(async () => (await balanceOf('e2e_sub')) === 1000);
    await settled();
    expect((await db.customer.findUniqueOrThrow({ where: { externalId: 'e2e_sub' } })).planKey).toBe('pro');

    await driver.advanceSubscription(subId, { outcome: 'paid' });
    await until(async () => (await balanceOf('e2e_sub')) === 2000);

    const failed = await driver.advanceSubscription(subId, { outcome: 'failed' });
    await settled();
    const sub = await db.subscription.findUniqueOrThrow({ where: { id: subId } });
    expect(sub.graceUntil).not.toBeNull();
    expect((await db.customer.findUniqueOrThrow({ where: { externalId: 'e2e_sub' } })).planKey).toBe('pro');
    expect(await balanceOf('e2e_sub')).toBe(2000);

    await driver.retryInvoice(failed.invoice!.id, 'paid');
    await until(async () => (await balanceOf('e2e_sub')) === 3000);
    await settled();
    expect((await db.subscription.findUniqueOrThrow({ where: { id: subId } })).graceUntil).toBeNull();

    await driver.cancelSubscription(subId);
    await until(
      async () => (await db.customer.findUniqueOrThrow({ where: { externalId: 'e2e_sub' } })).planKey === null,
    );
  });

  it('a lost dispute claws back the remaining credits; an early fraud warning flags the customer', async () => {
    await customer('e2e_dispute');
    const session = await checkout('e2e_dispute', { pack: 'starter' });
    const paid = await driver.payCheckoutSession(session.id, 'card_success');
    await until(async () => (await balanceOf('e2e_dispute')) === 500);
    await driver.createEarlyFraudWarning(paid.charge!.id);
    const dispute = await driver.openDispute(paid.charge!.id, 'fraudulent');
    await until(async () => (await db.dispute.findUnique({ where: { id: dispute.id } }))?.frozenCredits === 500);
    const lot = await db.creditLot.findFirstOrThrow({ where: { stripeReference: session.id } });
    expect(lot.frozen).toBe(true);
    await driver.closeDispute(dispute.id, 'lost');
    await until(async () => (await balanceOf('e2e_dispute')) === 0);
    await settled();
    expect(
      (await db.customer.findUniqueOrThrow({ where: { externalId: 'e2e_dispute' } })).fraudWarningAt,
    ).not.toBeNull();
    expect(await db.stripeEvent.count({ where: { status: 'failed' } })).toBe(0);
  });
});
