// A running Creditdesk with the Stripe emulator delivering signed webhooks to it, for the refund
// tests: customers buy packs and subscriptions through the service API and the emulator's hosted
// page, exactly as in production, and tRPC callers act as staff of each role.
import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { createTestDeps, type TestContext } from '../deps.ts';
import { seedTestCatalog } from '../stripe/harness.ts';
import { buildApp } from '../../server/app.ts';
import type { Db } from '../../server/db/client.ts';
import type { Payment } from '../../server/generated/prisma/client.ts';
import { EmulatorDriver } from '../../emulator/driver.ts';
import { createStripeFactory } from '../../server/stripe/client.ts';
import { createContextInner } from '../../server/trpc/context.ts';
import { createCallerFactory } from '../../server/trpc/init.ts';
import { appRouter } from '../../server/trpc/router.ts';
import { until } from '../until.ts';

export type Role = 'support' | 'finance' | 'admin';
const callerFactory = createCallerFactory(appRouter);
export type Caller = ReturnType<typeof callerFactory>;
const KEY = 'refund-tests-service-api-key-0123456789';

export interface RefundWorld {
  t: TestContext;
  db: Db;
  app: FastifyInstance;
  stripe: Stripe;
  driver: EmulatorDriver;
  /** A tRPC caller acting as staff member `id` with `role`. */
  as(role: Role, id?: string): Caller;
  /** A new customer buys `pack` (starter: 500 credits for EUR 9.00; big: 2,000 for EUR 29.00; or one a test added) and is granted. */
  buyPack(pack: string): Promise<{ customerId: string; payment: Payment; chargeId: string }>;
  /** A new customer subscribes to pro (1,000 credits a month for EUR 19.00); the first invoice's payment. */
  subscribe(): Promise<{ customerId: string; payment: Payment; subscriptionId: string }>;
  balance(customerId: string): Promise<number>;
  /** Waits until the emulator has sent everything and the app has applied it. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRefundWorld(): Promise<RefundWorld> {
  const t = await createTestDeps({ env: { SERVICE_API_KEY: KEY } });
  const db = t.deps.prisma;
  await seedTestCatalog(db);
  const app = await buildApp(t.deps, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const started = await createStripeFactory({
    timeScale: 0.00001,
    stateFile: null,
    webhookUrl: `${address}/api/stripe/webhook`,
  })(t.deps.env, t.deps.log);
  t.deps.stripe = started.connection;
  const stripe = started.connection!.client;
  const driver = EmulatorDriver.fromStripe(stripe);

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
    await db.catalogPrice.create({
      data: { stripePriceId: price.id, ...(recurring ? { planKey: key } : { packKey: key }) },
    });
  }

  let seq = 0;
  const newCustomer = async () => {
    seq += 1;
    const externalId = `refund_${Date.now().toString(36)}_${seq}`;
    return db.customer.create({ data: { externalId, email: `${externalId}@example.com` } });
  };
  const checkout = async (externalId: string, body: { pack?: string; plan?: string }) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/checkout-sessions',
      headers: { authorization: `Bearer ${KEY}` },
      payload: {
        customerId: externalId,
        ...body,
        successUrl: 'https://app.example/ok',
        cancelUrl: 'https://app.example/no',
      },
    });
    if (res.statusCode !== 200) throw new Error(`checkout failed: ${res.body}`);
    return res.json() as { id: string };
  };
  const balance = async (customerId: string) =>
    (await db.customer.findUniqueOrThrow({ where: { id: customerId } })).balance;
  const settled = async () => {
    await driver.waitForIdle({ timeoutMs: 15_000 });
    await until(
      async () => (await db.stripeEvent.count({ where: { status: { in: ['received', 'deferred'] } } })) === 0,
    );
  };

  return {
    t,
    db,
    app,
    stripe,
    driver,
    as: (role, id = `u-${role}`) =>
      callerFactory(createContextInner(t.deps, { id, email: `${id}@creditdesk.test`, name: id, role }, '10.2.2.2')),
    async buyPack(pack) {
      const c = await newCustomer();
      const session = await checkout(c.externalId, { pack });
      const paid = await driver.payCheckoutSession(session.id, 'card_success');
      if (paid.error || !paid.charge) throw new Error(`payment failed: ${paid.error}`);
      const payment = await until(() =>
        db.payment.findFirst({ where: { checkoutSessionId: session.id, status: 'paid', lotId: { not: null } } }),
      );
      await settled();
      return {
        customerId: c.id,
        payment: await db.payment.findUniqueOrThrow({ where: { id: payment.id } }),
        chargeId: paid.charge.id,
      };
    },
    async subscribe() {
      const c = await newCustomer();
      const session = await checkout(c.externalId, { plan: 'pro' });
      const paid = await driver.payCheckoutSession(session.id, 'card_success');
      if (paid.error || !paid.subscription) throw new Error(`subscription failed: ${paid.error}`);
      const payment = await until(() =>
        db.payment.findFirst({ where: { customerId: c.id, kind: 'subscription', lotId: { not: null } } }),
      );
      await settled();
      return {
        customerId: c.id,
        payment: await db.payment.findUniqueOrThrow({ where: { id: payment.id } }),
        subscriptionId: paid.subscription.id,
      };
    },
    balance,
    settled,
    async stop() {
      await started.stop();
      await app.close();
      await t.db.drop();
    },
  };
}
