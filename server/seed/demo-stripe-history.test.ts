// The demo seed against a fresh database, the Stripe emulator and the app listening for its
// webhooks, as `npm start` runs it: every support case of PRODUCT.md is in the state its verdict
// rule looks for, the ordinary customers have clean histories, the ledger holds, and a second
// run changes nothing (in the database or in "Stripe").
import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorDriver } from '../../emulator/driver.ts';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import type { Db } from '../db/client.ts';
import { getVerdict } from '../modules/support/verdict/get-verdict.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';
import { createStripeFactory } from '../stripe/client.ts';
import { DEMO_STRIPE_CUSTOMERS, stripeLookupKey } from './demo-stripe-history.ts';
import { ORDER_URL } from './demo-stripe-kit.ts';
import {
  CASE_BLOCKED,
  CASE_LOW_BALANCE,
  CASE_NO_USER_ID,
  CASE_NOT_DELIVERED,
  CASE_PENDING,
  CASE_UNKNOWN_PRICE,
  DEMO_SUPPORT_CASES,
  SPRING_PROMO,
} from './demo-support-cases.ts';
import { demoSeedNeeded, seedDemo } from './seed-demo.ts';

let t: TestContext;
let app: FastifyInstance;
let db: Db;
let stripe: Stripe;
let stopStripe: () => Promise<void>;
let firstRunMs = 0;

beforeAll(async () => {
  t = await createTestDeps();
  db = t.deps.prisma;
  app = await buildApp(t.deps, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  // As in `npm start` (development time scale), except that the state is kept in memory only.
  const started = await createStripeFactory({ stateFile: null, webhookUrl: `${address}/api/stripe/webhook` })(
    t.deps.env,
    t.deps.log,
  );
  t.deps.stripe = started.connection;
  stopStripe = started.stop;
  stripe = started.connection!.client;

  expect(await demoSeedNeeded(t.deps)).toBe('empty');
  const began = Date.now();
  const report = await seedDemo(t.deps);
  firstRunMs = Date.now() - began;
  expect(report.filter((s) => s.skipped).map((s) => s.step)).toEqual(['demo customers and ledgers']);
}, 180_000);
afterAll(async () => {
  await stopStripe?.();
  await app?.close();
  await t?.db.drop();
});

const customer = (p: { externalId: string }) => db.customer.findUniqueOrThrow({ where: { externalId: p.externalId } });
const verdict = async (p: { externalId: string }) => getVerdict(db, { customerId: (await customer(p)).id, stripe });
const session = async (order: string) => {
  for await (const s of stripe.checkout.sessions.list({ limit: 100 }))
    if (s.success_url === ORDER_URL + order) return s;
  throw new Error(`no session for order ${order}`);
};

async function snapshot() {
  const health = await new EmulatorDriver(stripeUrl()).health();
  return {
    customers: await db.customer.count(),
    entries: await db.ledgerEntry.count(),
    lots: await db.creditLot.count(),
    usage: await db.usage.count(),
    payments: await db.payment.count(),
    disputes: await db.dispute.count(),
    events: await db.stripeEvent.count(),
    deliveries: await db.webhookDelivery.count(),
    audit: await db.auditLog.count(),
    stripe: health.counts,
  };
}
function stripeUrl(): string {
  return `${stripe.getApiField('protocol')}://${stripe.getApiField('host')}:${stripe.getApiField('port')}`;
}

describe('demo seed with the Stripe emulator', () => {
  it('finishes well under a minute, with every webhook applied and the ledger consistent', async () => {
    console.log(`demo seed (first run): ${firstRunMs} ms`);
    expect(firstRunMs).toBeLessThan(60_000);
    expect(await db.stripeEvent.count({ where: { status: { in: ['received', 'deferred'] } } })).toBe(0);
    expect(await verifyLedger(db)).toEqual([]);
    expect(await demoSeedNeeded(t.deps)).toBeNull();
    // The catalog maps the emulator's prices, and Checkout uses them.
    const proPrice = (await stripe.prices.list({ lookup_keys: [stripeLookupKey('pro')] })).data[0]!;
    expect(await db.catalogPrice.findMany({ where: { planKey: 'pro' } })).toEqual([
      { stripePriceId: proPrice.id, planKey: 'pro', packKey: null },
    ]);
  });

  it('ordinary customers: real Stripe histories, nothing for support to fix', async () => {
    // The only failed events are the support cases'.
    const failed = await db.stripeEvent.findMany({ where: { status: 'failed' }, select: { lastError: true } });
    expect(failed.map((e) => e.lastError).sort()).toEqual([
      'no customer',
      expect.stringMatching(/^unknown price price_/),
    ]);
    for (const { person } of DEMO_STRIPE_CUSTOMERS) {
      const v = await verdict(person);
      const rules = v.findings.map((f) => f.rule);
      expect(rules, person.email).not.toContain('missing-event');
      expect(rules, person.email).not.toContain('failed-event');
      expect(rules, person.email).not.toContain('unlinked-payment');
      expect(rules, person.email).not.toContain('stale-subscription');
      expect(rules, person.email).not.toContain('blocked');
    }
    const ada = await customer({ externalId: 'demo_ada' });
    expect(ada).toMatchObject({ planKey: 'pro', status: 'active', stripeCustomerId: expect.stringMatching(/^cus_/) });
    const usage = await db.usage.findFirstOrThrow({ where: { customerId: ada.id, feature: 'image_generation' } });
    expect(usage.metadata).toMatchObject({
      model: expect.any(String),
      operation: 'image.generate',
      resultReference: expect.stringMatching(/^https:\/\//),
      clientIp: '198.51.100.7',
      userAgent: expect.stringContaining('Mozilla'),
    });
    const margaret = await customer({ externalId: 'demo_margaret' });
    expect(margaret).toMatchObject({ planKey: 'growth', status: 'active' });
    const katherine = await db.dispute.findFirstOrThrow({
      where: { customerId: (await customer({ externalId: 'demo_katherine' })).id },
    });
    expect(katherine.status).toBe('won');
    const linus = await db.dispute.findFirstOrThrow({
      where: { customerId: (await customer({ externalId: 'demo_linus' })).id },
    });
    expect(linus.status).toBe('needs_response');
    const grace = await customer({ externalId: 'demo_grace' });
    expect(await db.ledgerEntry.count({ where: { customerId: grace.id, type: 'refund_clawback' } })).toBe(1);
  });

  it('1. paid, but the webhook never reached us: Stripe has the paid session and its event, we have nothing', async () => {
    const lost = await session('case-not-delivered-2');
    expect(lost).toMatchObject({ status: 'complete', payment_status: 'paid' });
    expect(await db.stripeEvent.count({ where: { objectId: lost.id, type: 'checkout.session.completed' } })).toBe(0);
    expect(await db.payment.count({ where: { checkoutSessionId: lost.id } })).toBe(0);
    const undelivered = await stripe.events.list({ type: 'checkout.session.completed', delivery_success: false });
    expect(undelivered.data.map((e) => (e.data.object as { id: string }).id)).toContain(lost.id);
    expect((await customer(CASE_NOT_DELIVERED)).balance).toBe(1000);
    const v = await verdict(CASE_NOT_DELIVERED);
    expect(v.findings[0]).toMatchObject({ rule: 'missing-event' });
    expect(v.findings[0]!.repairs[0]).toMatchObject({ kind: 'fetch_event', objectId: lost.id });
  });

  it('2. delivered but failed: the event for the unmapped price is failed with "unknown price"', async () => {
    const promo = (await stripe.prices.list({ lookup_keys: [SPRING_PROMO.lookupKey] })).data[0]!;
    expect(await db.catalogPrice.count({ where: { stripePriceId: promo.id } })).toBe(0);
    const paid = await session('case-unknown-price-spring');
    const event = await db.stripeEvent.findFirstOrThrow({
      where: { objectId: paid.id, type: 'checkout.session.completed' },
    });
    expect(event).toMatchObject({ status: 'failed', lastError: `unknown price ${promo.id}` });
    const v = await verdict(CASE_UNKNOWN_PRICE);
    expect(v.findings[0]).toMatchObject({ rule: 'failed-event' });
    expect(v.findings[0]!.title).toBe(
      `Paid {{money ${SPRING_PROMO.amount} eur}} for “${SPRING_PROMO.name}”, which the catalog does not sell yet`,
    );
    expect(v.findings[0]!.explanation).toContain(promo.id);
    expect((await customer(CASE_UNKNOWN_PRICE)).balance).toBe(1000);
  });

  it('3. no user id: a guest payment without our metadata failed and is matched by email', async () => {
    const guest = await session('case-no-user-id-link');
    expect(guest.metadata).toEqual({});
    const me = await customer(CASE_NO_USER_ID);
    expect(guest.customer).not.toBe(me.stripeCustomerId);
    const event = await db.stripeEvent.findFirstOrThrow({
      where: { objectId: guest.id, type: 'checkout.session.completed' },
    });
    expect(event).toMatchObject({ status: 'failed', lastError: 'no customer', customerId: null });
    const v = await verdict(CASE_NO_USER_ID);
    expect(v.findings[0]).toMatchObject({ rule: 'unlinked-payment' });
    expect(v.findings[0]!.repairs[0]).toMatchObject({ kind: 'link_and_reprocess', eventId: event.id });
  });

  it('4. a delayed payment still pending: SEPA debit not settled, nothing to do yet', async () => {
    const sepa = await session('case-pending-sepa');
    expect(sepa).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    const payment = await db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sepa.id } });
    expect(payment.status).toBe('pending');
    const v = await verdict(CASE_PENDING);
    expect(v.status).toBe('waiting');
    expect(v.findings[0]).toMatchObject({ rule: 'pending-payment', severity: 'waiting', repairs: [] });
    expect((await customer(CASE_PENDING)).balance).toBe(1000);
  });

  it('5. blocked after disputes: four disputes trip the auto-block rule', async () => {
    const me = await customer(CASE_BLOCKED);
    expect(await db.dispute.count({ where: { customerId: me.id } })).toBe(4);
    expect(me.status).toBe('blocked');
    expect(me.blockedReason).toMatch(/^4 disputes since \d{4}-\d{2}-\d{2}$/);
    const v = await verdict(CASE_BLOCKED);
    expect(v.findings[0]).toMatchObject({ rule: 'blocked' });
    expect(v.findings[0]!.explanation).toContain('The auto-block rule');
  });

  it('6. balance lower than expected: usage, an expiry and a clawback from a Dashboard refund', async () => {
    const me = await customer(CASE_LOW_BALANCE);
    expect(me.balance).toBe(200);
    const types = (await db.ledgerEntry.findMany({ where: { customerId: me.id }, select: { type: true } })).map(
      (e) => e.type,
    );
    expect(types).toEqual(expect.arrayContaining(['expiration', 'refund_clawback', 'usage']));
    const v = await verdict(CASE_LOW_BALANCE);
    const explained = v.findings.find((f) => f.rule === 'balance-breakdown')!;
    expect(explained.breakdown).toMatchObject({
      balance: 200,
      granted: 1100,
      consumed: 300,
      expired: 100,
      clawedBack: 500,
    });
  });

  it('lists exactly one customer per support case, each with its own email', async () => {
    expect(DEMO_SUPPORT_CASES.map((c) => c.person.email)).toEqual([
      'case-not-delivered@demo.example',
      'case-unknown-price@demo.example',
      'case-no-user-id@demo.example',
      'case-pending@demo.example',
      'case-blocked@demo.example',
      'case-low-balance@demo.example',
    ]);
    for (const c of DEMO_SUPPORT_CASES) expect((await customer(c.person)).email).toBe(c.person.email);
  });

  it('a second run changes nothing, in the database or in Stripe', async () => {
    const before = await snapshot();
    const began = Date.now();
    await seedDemo(t.deps);
    console.log(`demo seed (second run): ${Date.now() - began} ms`);
    expect(await snapshot()).toEqual(before);
  });
});
