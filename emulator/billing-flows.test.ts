// Renewals (paid, failed, retried), cancellation now and at period end, and the 2026 invoice
// shape on renewal invoices.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;
let sub: Stripe.Subscription;
let mark: string;

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.driver.reset();
  const { plan } = await seedCatalog(stripe);
  const s = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: plan.id, quantity: 1 }],
    subscription_data: { metadata: { user_id: 'user_r' } },
  });
  const res = await t.driver.payCheckoutSession(s.id, 'card_success', { email: 'renew@example.com' });
  sub = res.subscription as Stripe.Subscription;
  mark = (await stripe.events.list({ limit: 1 })).data[0]?.id ?? '';
});

/** Events emitted since the subscription was bought, oldest first. */
async function newEvents(): Promise<Stripe.Event[]> {
  const list = await stripe.events.list({ limit: 100, ending_before: mark });
  return list.data.reverse();
}

describe('renewal', () => {
  it('paid: a subscription_cycle invoice for the next period, paid by the saved card; no request on the events', async () => {
    const before = await stripe.subscriptions.retrieve(sub.id);
    const oldItem = before.items.data[0] as Stripe.SubscriptionItem;
    const { invoice } = await t.driver.advanceSubscription(sub.id, { outcome: 'paid' });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ]);
    expect(events.every((e) => e.request?.id === null && e.request?.idempotency_key === null)).toBe(true);
    const updated = events[1]?.data;
    expect(
      (updated?.previous_attributes as { items: Stripe.ApiList<Stripe.SubscriptionItem> }).items.data[0]
        ?.current_period_end,
    ).toBe(oldItem.current_period_end);

    const after = await stripe.subscriptions.retrieve(sub.id);
    const item = after.items.data[0] as Stripe.SubscriptionItem;
    expect(item.current_period_start).toBe(oldItem.current_period_end);
    expect(item.current_period_end).toBeGreaterThan(item.current_period_start + 27 * 86_400);
    expect(after).toMatchObject({ status: 'active', latest_invoice: invoice?.id });

    const inv = await stripe.invoices.retrieve(String(invoice?.id));
    expect(inv).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_cycle',
      amount_paid: 2000,
      period_start: oldItem.current_period_start,
      period_end: oldItem.current_period_end,
      parent: { subscription_details: { subscription: sub.id, metadata: { user_id: 'user_r' } } },
    });
    expect(inv.number).toMatch(/-0002$/);
    expect(inv.lines.data[0]?.period).toEqual({ start: item.current_period_start, end: item.current_period_end });
  });

  it('failed: invoice.payment_failed, subscription past_due; a retry pays it and reactivates', async () => {
    const { invoice } = await t.driver.advanceSubscription(sub.id, { outcome: 'failed' });
    const types = (await newEvents()).map((e) => e.type);
    expect(types.slice(-5)).toEqual([
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    const failed = await stripe.invoices.retrieve(String(invoice?.id));
    expect(failed).toMatchObject({ status: 'open', attempted: true, attempt_count: 1, amount_paid: 0 });
    expect(failed.next_payment_attempt).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');

    await t.driver.retryInvoice(String(invoice?.id), 'failed');
    expect((await stripe.invoices.retrieve(String(invoice?.id))).attempt_count).toBe(2);
    const paid = await t.driver.retryInvoice(String(invoice?.id), 'paid');
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    const payments = await stripe.invoicePayments.list({ invoice: String(invoice?.id) });
    expect(payments.data.map((p) => p.status)).toEqual(['paid']);
    const charges = await stripe.charges.list({ payment_intent: String(payments.data[0]?.payment.payment_intent) });
    expect(charges.data.map((c) => c.status)).toEqual(['succeeded', 'failed', 'failed']);
  });

  it('an incomplete subscription has no next period', async () => {
    const customer = await stripe.customers.create({ email: 'x@example.com' });
    const price = sub.items.data[0]?.price.id as string;
    const incomplete = await stripe.subscriptions.create({ customer: customer.id, items: [{ price }] });
    await expect(t.driver.advanceSubscription(incomplete.id)).rejects.toThrow(/incomplete/);
  });
});

describe('cancellation', () => {
  it('at period end: updated now (cancel_at_period_end), deleted when the period ends', async () => {
    await t.driver.cancelSubscription(sub.id, { atPeriodEnd: true });
    let events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.updated']);
    expect(events[0]?.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null });
    const res = await t.driver.advanceSubscription(sub.id);
    expect(res.invoice).toBeNull();
    events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.updated', 'customer.subscription.deleted']);
    const deleted = events[1]?.data.object as Stripe.Subscription;
    expect(deleted).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'cancellation_requested' } });
    await expect(t.driver.advanceSubscription(sub.id)).rejects.toThrow(/canceled/);
  });

  it('now, for a failed payment: customer.subscription.deleted with the reason', async () => {
    const canceled = await t.driver.cancelSubscription(sub.id, { reason: 'payment_failed' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'payment_failed' } });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.deleted']);
    expect(events[0]?.request?.id).toBeNull();
  });

  it('a plan change through the API swaps the item price and reports the old one', async () => {
    const product = await stripe.products.create({ name: 'Team' });
    const team = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 5000,
      recurring: { interval: 'month' },
    });
    const itemId = sub.items.data[0]?.id as string;
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: itemId, price: team.id }],
      proration_behavior: 'none',
    });
    expect(updated.items.data[0]).toMatchObject({
      id: itemId,
      price: { id: team.id, unit_amount: 5000 },
      plan: { id: team.id },
    });
    const events = (await newEvents()).filter((e) => e.type === 'customer.subscription.updated');
    const prev = events.at(-1)?.data.previous_attributes as { items: Stripe.ApiList<Stripe.SubscriptionItem> };
    expect(prev.items.data[0]?.price.id).toBe(sub.items.data[0]?.price.id);
    const { invoice } = await t.driver.advanceSubscription(sub.id);
    expect(invoice?.total).toBe(5000);
  });
});
