// Reconciliation, drift check and the support repairs that talk to Stripe (fetch a missing event,
// resync or re-read a subscription, list a session's line items), against the project's Stripe
// emulator reached through the official SDK. The emulator delivers no webhooks here: a test
// delivers what got through to us, and every other event is one Stripe has and we never received.
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorHarness, eventsAbout, type EmulatorHarness } from '../../test/stripe/emulator-harness.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { createContextInner } from '../trpc/context.ts';
import { createCallerFactory } from '../trpc/init.ts';
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { pipelineContext } from './pipeline.ts';
import { appRouter } from '../trpc/router.ts';

const KEY = 'reconciliation-test-service-key-0123';
const DAY = 86_400;
let h: EmulatorHarness;

beforeAll(async () => {
  h = await createEmulatorHarness({ env: { SERVICE_API_KEY: KEY } });
});
afterAll(async () => {
  await h?.close();
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

/** The product's backend asks for a Checkout page (our service API) and the customer pays it. */
async function buy(
  externalId: string,
  item: { pack: string } | { plan: string },
  outcome: 'card_success' | 'delayed_success' = 'card_success',
) {
  await h.prisma.customer.upsert({
    where: { externalId },
    create: { externalId, email: `${externalId}@example.com` },
    update: {},
  });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/checkout-sessions',
    headers: { authorization: `Bearer ${KEY}` },
    payload: {
      customerId: externalId,
      ...item,
      successUrl: 'https://app.example/ok',
      cancelUrl: 'https://app.example/no',
    },
  });
  expect(res.statusCode, res.body).toBe(200);
  const paid = await h.driver.payCheckoutSession(res.json().id, outcome);
  expect(paid.error).toBeNull();
  return paid;
}

async function onlyEvent(objectId: string, type: string): Promise<Stripe.Event> {
  const [event, ...more] = await eventsAbout(h.stripe, objectId, type);
  expect(more).toHaveLength(0);
  return event!;
}

/** A Stripe customer created in the Dashboard: an event type we store and ignore. */
async function dashboardCustomerEvent(email: string): Promise<Stripe.Event> {
  const c = await h.stripe.customers.create({ email });
  return onlyEvent(c.id, 'customer.created');
}

describe('reconciliation', () => {
  let delivered: Stripe.Event;
  let missed: Stripe.Event;

  it('ingests and applies the events Stripe has that never reached the webhook', async () => {
    const first = await buy('rec_1', { pack: 'starter' });
    delivered = await onlyEvent(first.session.id, 'checkout.session.completed');
    expect((await h.deliver(delivered)).statusCode).toBe(200);
    const second = await buy('rec_2', { pack: 'big' });
    missed = await onlyEvent(second.session.id, 'checkout.session.completed');
    // Outside the window: five days old (before the 3-day look-back from the newest event we have)
    // and forty (past the 30 days Stripe keeps).
    const lastWeek = await dashboardCustomerEvent('last-week@example.com');
    await h.driver.ageEvent(lastWeek.id, 5 * DAY);
    const ancient = await dashboardCustomerEvent('ancient@example.com');
    await h.driver.ageEvent(ancient.id, 40 * DAY);
    const irrelevant = await dashboardCustomerEvent('irrelevant@example.com');

    const run = await support().webhooks.runReconciliation();
    // It lists from a little before the newest event it had (3 days of overlap) ...
    const since = delivered.created - 3 * DAY;
    expect(run.findings).toMatchObject({ since: new Date(since * 1000).toISOString() });
    // ... and ingests everything Stripe lists from then on but the one event that was delivered.
    const listed = [];
    for await (const e of h.stripe.events.list({ created: { gte: since }, limit: 100 })) listed.push(e.id);
    expect(run).toMatchObject({ status: 'succeeded', eventsSeen: listed.length, eventsIngested: listed.length - 1 });
    expect(await h.prisma.stripeEvent.count({ where: { id: { in: listed } } })).toBe(listed.length);

    expect(await balance('rec_2')).toBe(2000);
    const missedRow = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: missed.id },
      include: { deliveries: true },
    });
    expect(missedRow).toMatchObject({ status: 'processed', source: 'reconciliation' });
    expect(missedRow.deliveries.map((d) => [d.source, d.duplicate])).toEqual([['reconciliation', false]]);
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: irrelevant.id } })).toMatchObject({
      status: 'ignored',
    });
    // The delivered event was not ingested again; the older ones are outside the window.
    expect(await h.prisma.webhookDelivery.count({ where: { eventId: delivered.id } })).toBe(1);
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: lastWeek.id } })).toBeNull();
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: ancient.id } })).toBeNull();
    const runs = await support().webhooks.reconciliationRuns({});
    expect(runs[0]?.id).toBe(run.id);
  });

  it('a second run finds nothing new', async () => {
    const run = await support().webhooks.runReconciliation();
    expect(run).toMatchObject({ status: 'succeeded', eventsIngested: 0 });
  });

  it('reports paid payments without a grant, and grants whose payment is missing or refunded', async () => {
    // Paid in Stripe for a price the catalog does not know: the event fails, no credits.
    const product = await h.stripe.products.create({ name: 'not in the catalog' });
    const price = await h.stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 500 });
    const unknown = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      metadata: { user_id: 'rec_4' },
      success_url: 'https://app.example/ok',
      cancel_url: 'https://app.example/no',
    });
    await h.driver.payCheckoutSession(unknown.id, 'card_success', { email: 'rec_4@example.com' });
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
      where: { checkoutSessionId: (delivered.data.object as { id: string }).id },
      data: { status: 'refunded', amountRefunded: 900 },
    });
    const run = await support().webhooks.runReconciliation();
    const drift = (run.findings as { drift: Record<string, Array<Record<string, unknown>>> }).drift;
    expect(drift.paidWithoutGrant?.map((p) => p.stripeObject)).toEqual([unknown.id]);
    expect(drift.grantsWithoutPayment?.map((g) => g.stripeReference)).toEqual(['cs_test_ghost_session']);
    expect(drift.grantsOnRefundedPayments?.map((g) => g.paymentId)).toEqual([refunded.id]);
    // Issue 16: each finding names its customer (the runs list carries who they are).
    const [listed] = await support().webhooks.reconciliationRuns({ limit: 1 });
    expect(listed?.id).toBe(run.id);
    expect(listed?.customers).toContainEqual(expect.objectContaining({ id: c.id, email: c.email }));
    expect(listed?.customers.map((x) => x.id)).toContain(refunded.customerId);
    await h.prisma.payment.update({ where: { id: refunded.id }, data: { status: 'paid', amountRefunded: 0 } });
  });
});

describe('support repairs through Stripe', () => {
  it('fetches a missing event by id and applies it (audited)', async () => {
    const paid = await buy('fetch_1', { pack: 'starter' });
    const e = await onlyEvent(paid.session.id, 'checkout.session.completed');
    const results = await support().webhooks.fetchEvent({ eventId: e.id, reason: 'customer says paid, no credits' });
    expect(results).toMatchObject([{ eventId: e.id, status: 'processed', fetched: true }]);
    expect(await balance('fetch_1')).toBe(500);
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id } });
    expect(row.source).toBe('manual');
    expect(await h.prisma.auditLog.count({ where: { action: 'stripe_event.fetch', targetId: e.id } })).toBe(1);
    // Fetching it again reprocesses the stored event: still one grant.
    await support().webhooks.fetchEvent({ eventId: e.id });
    expect(await balance('fetch_1')).toBe(500);
  });

  it('fetches every missing event about a Stripe object (cs_...)', async () => {
    // A delayed payment method: completed unpaid, then async_payment_succeeded when it settles.
    const paid = await buy('fetch_2', { pack: 'big' }, 'delayed_success');
    const sessionId = paid.session.id;
    for (let i = 0; !(await eventsAbout(h.stripe, sessionId, 'checkout.session.async_payment_succeeded')).length; i++) {
      if (i > 100) throw new Error('the payment never settled');
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await support().webhooks.fetchEvent({ objectId: sessionId, reason: 'delayed payment, no credits' });
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

  it('re-reads an unknown subscription in the background job instead of deferring its invoice', async () => {
    const paid = await buy('reread_1', { plan: 'pro' });
    const sub = paid.subscription!.id;
    // Only the invoice got through; customer.subscription.created never did. The webhook answer
    // makes no Stripe call: the re-read is left to the retry job, due at once, no retry used.
    const invoicePaid = await onlyEvent(paid.invoice!.id!, 'invoice.paid');
    const res = await h.deliver(invoicePaid);
    expect(res.json()).toMatchObject({ status: 'deferred' });
    expect(await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: invoicePaid.id } })).toMatchObject({
      cause: 'stripe_call_pending',
      attempts: 0,
    });
    expect(await retryJob()).toContainEqual(expect.objectContaining({ eventId: invoicePaid.id, status: 'processed' }));
    expect(await balance('reread_1')).toBe(1000);
    expect(await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } })).toMatchObject({
      planKey: 'pro',
      status: 'active',
    });
  });

  it('resyncs a subscription from Stripe (audited); older events cannot undo it', async () => {
    const paid = await buy('resync_1', { plan: 'pro' });
    const sub = paid.subscription!;
    await h.deliver(await onlyEvent(sub.id, 'customer.subscription.created'));
    // A change that keeps the plan (its event still on the way), then an upgrade to max that never
    // arrives: support resyncs.
    await h.stripe.subscriptions.update(sub.id, { metadata: { note: 'still pro' } });
    const stale = (await eventsAbout(h.stripe, sub.id, 'customer.subscription.updated')).at(-1)!;
    expect(stale.data.object).toMatchObject({
      metadata: { note: 'still pro' },
      items: { data: [{ price: { id: h.prices.pro } }] },
    });
    // The read below must be later than that event's second (`created` has whole seconds).
    await new Promise((r) => setTimeout(r, 1100));
    await h.stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, price: h.prices.max }] });
    const outcome = await support().webhooks.resyncSubscription({
      subscriptionId: sub.id,
      reason: 'plan looked stale',
    });
    expect(outcome.summary).toContain('plan Max');
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'resync_1' } })).planKey).toBe('max');
    await h.deliver(stale);
    expect((await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub.id } })).planKey).toBe('max');
    expect(await h.prisma.auditLog.count({ where: { action: 'subscription.resync', targetId: sub.id } })).toBe(1);
  });

  it('lists line items from Stripe for a session without our metadata', async () => {
    const s = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: h.prices.starter, quantity: 3 }],
      metadata: { user_id: 'items_1' },
      success_url: 'https://app.example/ok',
      cancel_url: 'https://app.example/no',
    });
    await h.driver.payCheckoutSession(s.id, 'card_success', { email: 'items_1@example.com' });
    const completed = await onlyEvent(s.id, 'checkout.session.completed');
    // Stripe's event carries no line items: 1,500 credits can only come from listing them.
    expect(completed.data.object).not.toHaveProperty('line_items');
    const res = await h.deliver(completed);
    // Nothing granted before the answer (the customer is not even known yet): the job lists them.
    expect(res.json()).toMatchObject({ status: 'deferred' });
    expect(await retryJob()).toContainEqual(expect.objectContaining({ eventId: completed.id, status: 'processed' }));
    expect(await balance('items_1')).toBe(1500);
  });
});

/** One run of the retry job (what pg-boss runs every minute). */
function retryJob() {
  return processDueEvents(pipelineContext(h.t.deps));
}
