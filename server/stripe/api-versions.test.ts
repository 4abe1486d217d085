// Events rendered for an endpoint pinned to an older API version (2024-06-20, before basil moved
// the invoice's links under `parent` and `payments` and the subscription's period onto its items)
// are read like endive ones: a renewal pays its credits. An event we cannot read is `failed` with
// the cause payload_unreadable, never `processed` with no effect. Real PostgreSQL, signed deliveries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charge, event, invoice, subscription, uid, unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';
import { normaliseEventObject } from '../modules/stripe-events/normalise-event-object.ts';

type Obj = Record<string, unknown>;
const OLD = '2024-06-20';
const DAY = 86_400;

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A subscription as 2024-06-20 renders it: the period at the top level, none on the items. */
function oldSubscription(input: Parameters<typeof subscription>[0]): Obj {
  const s = subscription(input);
  const items = s.items as { data: Obj[] } & Obj;
  return {
    ...s,
    current_period_start: input.periodStart,
    current_period_end: input.periodEnd,
    items: {
      ...items,
      data: items.data.map(({ current_period_start: _s, current_period_end: _e, ...item }) => ({
        ...item,
        plan: { id: input.priceId, object: 'plan', amount: 1900, currency: 'eur', interval: 'month' },
      })),
    },
  };
}

/** An invoice as 2024-06-20 renders it: subscription, subscription_details, payment_intent and charge
 * at the top level, no parent, no payments; lines priced by a full `price` (and `plan`), no pricing. */
function oldInvoice(input: Parameters<typeof invoice>[0] & { charge?: string | null }): Obj {
  const { parent: _parent, payments: _payments, ...inv } = invoice(input);
  const lines = inv.lines as { data: Obj[] } & Obj;
  const price = {
    id: input.priceId,
    object: 'price',
    active: true,
    currency: input.currency ?? 'eur',
    product: 'prod_plan',
    type: 'recurring',
    recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    unit_amount: input.amount ?? 1900,
    unit_amount_decimal: String(input.amount ?? 1900),
  };
  return {
    ...inv,
    subscription: input.subscription,
    subscription_details: { metadata: { user_id: input.userId ?? 'user_1', kind: 'plan' } },
    payment_intent: input.paymentIntent ?? null,
    charge: input.charge ?? null,
    lines: {
      ...lines,
      data: lines.data.map(({ parent: _p, pricing: _pr, ...line }) => ({
        ...line,
        type: 'subscription',
        subscription: input.subscription,
        subscription_item: uid('si'),
        proration: false,
        price,
        plan: { id: input.priceId, object: 'plan', amount: input.amount ?? 1900, currency: 'eur' },
      })),
    },
  };
}

const old = (type: string, object: Obj, created: number) => ({
  ...event(type, object, { created }),
  api_version: OLD,
});

async function deliver(e: Obj) {
  const res = await h.deliver(e);
  expect(res.statusCode).toBe(200);
  return h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
}

describe('a subscription on an endpoint pinned to 2024-06-20', () => {
  const user = 'user_old_api';
  const cus = uid('cus');
  const sub = uid('sub');
  const t0 = unix(Date.now()) - 40 * DAY;
  const t1 = t0 + 30 * DAY;
  const pi = uid('pi');
  const ch = uid('ch');

  it('signup: the first invoice, delivered before its subscription, waits for it, then grants', async () => {
    await h.prisma.customer.create({ data: { externalId: user, email: 'old-api@example.com' } });
    const first = oldInvoice({
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t0,
      periodEnd: t1,
      paymentIntent: pi,
      charge: ch,
    });
    const early = await deliver(old('invoice.paid', first, t0 + 2));
    expect(early).toMatchObject({ status: 'deferred', cause: 'subscription_not_seen_yet', apiVersion: OLD });

    const created = await deliver(
      old(
        'customer.subscription.created',
        oldSubscription({ id: sub, customer: cus, userId: user, priceId: PRICES.pro, periodStart: t0, periodEnd: t1 }),
        t0,
      ),
    );
    expect(created.status).toBe('processed');
    const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } });
    // The period came from the top level of the old shape.
    expect(row).toMatchObject({ status: 'active', planKey: 'pro', stripePriceId: PRICES.pro });
    expect(row.currentPeriodEnd?.getTime()).toBe(t1 * 1000);

    const again = await deliver(old('invoice.paid', first, t0 + 2));
    expect(again).toMatchObject({ status: 'processed', cause: null });
    const c = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: user } });
    expect(c).toMatchObject({ planKey: 'pro', balance: 1000 });
    // The payment is linked through the old top-level payment_intent and charge.
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { invoiceId: first.id as string } });
    expect(payment).toMatchObject({ paymentIntentId: pi, chargeId: ch, status: 'paid', amount: 1900 });
    const lot = await h.prisma.creditLot.findUniqueOrThrow({ where: { id: payment.lotId as string } });
    expect(lot.expiresAt?.getTime()).toBe(t1 * 1000);
  });

  it('renewal: top-level subscription, no parent, grants the period credits (not "processed" with 0)', async () => {
    const renewal = oldInvoice({
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      billingReason: 'subscription_cycle',
      periodStart: t1,
      periodEnd: t1 + 30 * DAY,
      paymentIntent: uid('pi'),
    });
    const stored = await deliver(old('invoice.paid', renewal, t1 + 5));
    expect(stored.status).toBe('processed');
    const c = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: user } });
    expect(c.balance).toBe(2000);
    const entries = await h.prisma.ledgerEntry.findMany({ where: { customerId: c.id }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => [e.type, e.credits, e.idempotencyKey])).toEqual([
      ['subscription_grant', 1000, expect.stringMatching(/^grant:in/)],
      ['subscription_grant', 1000, `grant:${renewal.id as string}`],
    ]);
    // Delivered again: applied once.
    await h.deliver(old('invoice.paid', renewal, t1 + 5));
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: user } })).balance).toBe(2000);
  });

  it('a failed renewal payment in the old shape opens the grace period', async () => {
    const failed = oldInvoice({
      customer: cus,
      subscription: sub,
      userId: user,
      priceId: PRICES.pro,
      billingReason: 'subscription_cycle',
      periodStart: t1 + 30 * DAY,
      periodEnd: t1 + 60 * DAY,
      status: 'open',
    });
    const stored = await deliver(old('invoice.payment_failed', failed, t1 + 30 * DAY + 5));
    expect(stored.status).toBe('processed');
    const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: sub } });
    expect(row.graceUntil).not.toBeNull();
  });
});

describe('an event we cannot read', () => {
  it('a subscription invoice that names no subscription anywhere is failed, with its API version', async () => {
    const inv = oldInvoice({
      customer: uid('cus'),
      subscription: uid('sub'),
      priceId: PRICES.pro,
      billingReason: 'subscription_cycle',
      periodStart: unix(Date.now()),
      periodEnd: unix(Date.now()) + 30 * DAY,
    });
    delete inv.subscription;
    const stored = await deliver(old('invoice.paid', inv, unix(Date.now())));
    expect(stored).toMatchObject({ status: 'failed', cause: 'payload_unreadable' });
    expect(stored.causeDetail).toMatchObject({
      apiVersion: OLD,
      missing: expect.stringContaining('names no subscription'),
    });
    expect(stored.lastError).toContain(`API version ${OLD}`);
    expect(await h.prisma.payment.findUnique({ where: { invoiceId: inv.id as string } })).toBeNull();
  });

  it('an object of another kind than its type promises, or without a field a handler needs, is failed', async () => {
    const wrongKind = await deliver(
      old('invoice.paid', { id: uid('ch'), object: 'charge', amount: 100 }, unix(Date.now())),
    );
    expect(wrongKind).toMatchObject({ status: 'failed', cause: 'payload_unreadable' });
    expect(wrongKind.lastError).toContain('carries charge, not invoice');

    const { amount: _amount, ...noAmount } = charge({ id: uid('ch'), paymentIntent: uid('pi'), amount: 900 });
    const missing = await deliver(old('charge.succeeded', noAmount, unix(Date.now())));
    expect(missing).toMatchObject({ status: 'failed', cause: 'payload_unreadable' });
    expect(missing.lastError).toContain('charge.amount is missing');
  });
});

describe('the normaliser', () => {
  it('leaves an endive payload as it is', () => {
    const inv = invoice({
      customer: 'cus_1',
      subscription: 'sub_1',
      priceId: PRICES.pro,
      periodStart: 1,
      periodEnd: 2,
      paymentIntent: 'pi_1',
    });
    expect(normaliseEventObject('invoice.paid', '2026-10-28.endive', inv)).toEqual(inv);
  });

  it('reads an old payment intent: its charges list names the latest charge', () => {
    const pi = {
      id: 'pi_old',
      object: 'payment_intent',
      amount: 900,
      status: 'succeeded',
      charges: { object: 'list', data: [{ id: 'ch_old', object: 'charge' }] },
    };
    expect(normaliseEventObject('payment_intent.succeeded', OLD, pi)).toMatchObject({ latest_charge: 'ch_old' });
  });
});
