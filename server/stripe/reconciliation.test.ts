// Reconciliation, drift check and the support repairs that talk to Stripe (fetch a missing event,
// resync a subscription), against a small Stripe stand-in reached through the official SDK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, invoice, subscription, uid, unix } from '../../test/stripe/builders.ts';
import { startFakeStripe, type FakeStripe } from '../../test/stripe/fake-stripe.ts';
import { createWebhookHarness, PRICES, WEBHOOK_SECRET, type WebhookHarness } from '../../test/stripe/harness.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { createContextInner } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { appRouter } from '../trpc/router.ts';

let fake: FakeStripe;
let h: WebhookHarness;
const DAY = 86_400;

beforeAll(async () => {
  fake = await startFakeStripe();
  h = await createWebhookHarness({ stripe: fake.connection([WEBHOOK_SECRET]) });
});
afterAll(async () => {
  await h?.close();
  await fake?.close();
});

const support = () =>
  createCallerFactory(appRouter)(
    createContextInner(h.t.deps, {
      id: 'staff-support',
      email: 'support@creditdesk.test',
      name: 'Sam',
      role: 'support',
    }),
  );
const balance = async (externalId: string) =>
  (await h.prisma.customer.findUniqueOrThrow({ where: { externalId } })).balance;

describe('reconciliation', () => {
  const t = unix(Date.now()) - 3600;
  const delivered = event(
    'checkout.session.completed',
    checkoutSession({ userId: 'rec_1', kind: 'pack', key: 'starter' }),
    { created: t },
  );
  const missedSession = checkoutSession({ userId: 'rec_2', kind: 'pack', key: 'big' });
  const missed = event('checkout.session.completed', missedSession, { created: t + 10 });
  const irrelevant = event('product.created', { id: 'prod_1', object: 'product' }, { created: t + 20 });
  const ancient = event('checkout.session.completed', checkoutSession({ userId: 'rec_3', kind: 'pack', key: 'big' }), {
    created: t - 40 * DAY,
  });

  it('ingests and applies the events Stripe has that never reached the webhook', async () => {
    expect((await h.deliver(delivered)).statusCode).toBe(200);
    fake.events.push(delivered, missed, irrelevant, ancient);
    const run = await support().webhooks.runReconciliation();
    expect(run).toMatchObject({ status: 'succeeded', eventsSeen: 3, eventsIngested: 2 });
    expect(await balance('rec_2')).toBe(2000);
    const missedRow = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: missed.id as string },
      include: { deliveries: true },
    });
    expect(missedRow).toMatchObject({ status: 'processed', source: 'reconciliation' });
    expect(missedRow.deliveries.map((d) => [d.source, d.duplicate])).toEqual([['reconciliation', false]]);
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: irrelevant.id as string } })).toMatchObject({
      status: 'ignored',
    });
    // The delivered event was not ingested again; the 40-day-old one is outside Stripe's window.
    expect(await h.prisma.webhookDelivery.count({ where: { eventId: delivered.id as string } })).toBe(1);
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: ancient.id as string } })).toBeNull();
    // It lists from a little before the newest event it had (3 days of overlap).
    const listCall = fake.requests.find((r) => r.path === '/v1/events');
    expect(Number(listCall?.query.get('created[gte]'))).toBe(t - 3 * DAY);
    const runs = await support().webhooks.reconciliationRuns({});
    expect(runs[0]?.id).toBe(run.id);
  });

  it('a second run finds nothing new', async () => {
    const run = await support().webhooks.runReconciliation();
    expect(run).toMatchObject({ status: 'succeeded', eventsIngested: 0 });
  });

  it('reports paid payments without a grant, and grants whose payment is missing or refunded', async () => {
    const paidNoGrant = checkoutSession({ userId: 'rec_4', kind: 'pack', key: 'starter' });
    fake.sessions.push({ ...(delivered.data as { object: Record<string, unknown> }).object, status: 'complete' });
    fake.sessions.push({ ...paidNoGrant, status: 'complete' });
    const c = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'rec_1' } });
    await grantCredits(h.prisma, {
      customerId: c.id,
      credits: 42,
      type: 'purchase',
      source: 'pack_purchase',
      costBasis: 'paid',
      amountPaid: 100,
      currency: 'eur',
      stripeReference: 'cs_test_ghost_session',
      idempotencyKey: 'grant:cs_test_ghost_session',
      reason: 'test: a grant whose payment we never recorded',
      actor: SYSTEM_ACTOR,
    });
    const refunded = await h.prisma.payment.update({
      where: { checkoutSessionId: (delivered.data as { object: { id: string } }).object.id },
      data: { status: 'refunded', amountRefunded: 900 },
    });
    const run = await support().webhooks.runReconciliation();
    const drift = (run.findings as { drift: Record<string, Array<Record<string, unknown>>> }).drift;
    expect(drift.paidWithoutGrant?.map((p) => p.stripeObject)).toEqual([paidNoGrant.id]);
    expect(drift.grantsWithoutPayment?.map((g) => g.stripeReference)).toEqual(['cs_test_ghost_session']);
    expect(drift.grantsOnRefundedPayments?.map((g) => g.paymentId)).toEqual([refunded.id]);
    await h.prisma.payment.update({ where: { id: refunded.id }, data: { status: 'paid', amountRefunded: 0 } });
  });
});

describe('support repairs through Stripe', () => {
  it('fetches a missing event by id and applies it (audited)', async () => {
    const e = event('checkout.session.completed', checkoutSession({ userId: 'fetch_1', kind: 'pack', key: 'starter' }));
    fake.events.push(e);
    const results = await support().webhooks.fetchEvent({
      eventId: e.id as string,
      reason: 'customer says paid, no credits',
    });
    expect(results).toMatchObject([{ eventId: e.id, status: 'processed', fetched: true }]);
    expect(await balance('fetch_1')).toBe(500);
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: e.id as string },
      include: { deliveries: true },
    });
    expect(row.source).toBe('manual');
    expect(await h.prisma.auditLog.count({ where: { action: 'stripe_event.fetch', targetId: e.id as string } })).toBe(
      1,
    );
    // Fetching it again reprocesses the stored event: still one grant.
    await support().webhooks.fetchEvent({ eventId: e.id as string });
    expect(await balance('fetch_1')).toBe(500);
  });

  it('fetches every missing event about a Stripe object (cs_...)', async () => {
    const s = checkoutSession({ userId: 'fetch_2', kind: 'pack', key: 'big', paymentStatus: 'unpaid' });
    const t = unix(Date.now());
    fake.events.push(event('checkout.session.completed', s, { created: t }));
    fake.events.push(
      event('checkout.session.async_payment_succeeded', { ...s, payment_status: 'paid' }, { created: t + 5 }),
    );
    const results = await support().webhooks.fetchEvent({
      objectId: s.id as string,
      reason: 'delayed payment, no credits',
    });
    expect(results.map((r) => [r.type, r.status])).toEqual([
      ['checkout.session.completed', 'processed'],
      ['checkout.session.async_payment_succeeded', 'processed'],
    ]);
    expect(await balance('fetch_2')).toBe(2000);
  });

  it('answers NOT_FOUND for an event Stripe does not have', async () => {
    await expect(support().webhooks.fetchEvent({ eventId: 'evt_does_not_exist' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('re-reads an unknown subscription instead of deferring its invoice', async () => {
    const sub = uid('sub');
    const cus = uid('cus');
    const t = unix(Date.now()) - 100;
    await h.prisma.customer.create({ data: { externalId: 'reread_1', email: 'reread@example.com' } });
    fake.subscriptions.set(
      sub,
      subscription({
        id: sub,
        customer: cus,
        userId: 'reread_1',
        priceId: PRICES.pro,
        periodStart: t,
        periodEnd: t + 30 * DAY,
      }),
    );
    const inv = invoice({
      customer: cus,
      subscription: sub,
      userId: 'reread_1',
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t,
      periodEnd: t + 30 * DAY,
    });
    const res = await h.deliver(event('invoice.paid', inv, { created: t + 1 }));
    expect(res.json()).toMatchObject({ status: 'processed' });
    expect(await balance('reread_1')).toBe(1000);
    expect(await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).toMatchObject({
      planKey: 'pro',
      status: 'active',
    });
  });

  it('resyncs a subscription from Stripe (audited); older events cannot undo it', async () => {
    const sub = uid('sub');
    const cus = uid('cus');
    const t = unix(Date.now()) - 1000;
    await h.prisma.customer.create({ data: { externalId: 'resync_1', email: 'resync@example.com' } });
    const base = { id: sub, customer: cus, userId: 'resync_1', periodStart: t, periodEnd: t + 30 * DAY };
    await h.deliver(
      event('customer.subscription.created', subscription({ ...base, priceId: PRICES.pro }), { created: t }),
    );
    fake.subscriptions.set(sub, subscription({ ...base, priceId: PRICES.max }));
    const outcome = await support().webhooks.resyncSubscription({ subscriptionId: sub, reason: 'plan looked stale' });
    expect(outcome.summary).toContain('plan max');
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'resync_1' } })).planKey).toBe('max');
    await h.deliver(
      event('customer.subscription.updated', subscription({ ...base, priceId: PRICES.pro }), { created: t + 5 }),
    );
    expect((await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).planKey).toBe('max');
    expect(await h.prisma.auditLog.count({ where: { action: 'subscription.resync', targetId: sub } })).toBe(1);
  });

  it('lists line items from Stripe for a session without our metadata', async () => {
    const s = checkoutSession({ userId: 'items_1', metadata: { user_id: 'items_1' } });
    fake.sessions.push({
      ...s,
      line_items: {
        object: 'list',
        has_more: false,
        url: `/v1/checkout/sessions/${s.id}/line_items`,
        data: [{ id: uid('li'), object: 'item', quantity: 3, price: { id: PRICES.starter, object: 'price' } }],
      },
    });
    const res = await h.deliver(event('checkout.session.completed', s));
    expect(res.json()).toMatchObject({ status: 'processed' });
    expect(await balance('items_1')).toBe(1500);
    expect(fake.requests.some((r) => r.path === `/v1/checkout/sessions/${s.id}/line_items`)).toBe(true);
  });
});
