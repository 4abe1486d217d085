// Refunds from the API (with the Idempotency-Key echoed on events) and from the Dashboard,
// Radar block lists, early fraud warnings, and the dispute lifecycle with its money movements.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;
let charge: Stripe.Charge;
let mark: string;

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.driver.reset();
  const { pack } = await seedCatalog(stripe);
  const s = await stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: pack.id, quantity: 3 }],
    customer_creation: 'always',
  });
  const res = await t.driver.payCheckoutSession(s.id, 'card_success', { email: 'payer@example.com' });
  charge = res.charge as Stripe.Charge;
  mark = (await stripe.events.list({ limit: 1 })).data[0]?.id ?? '';
});

async function newEvents(): Promise<Stripe.Event[]> {
  return (await stripe.events.list({ limit: 100, ending_before: mark })).data.reverse();
}

describe('refunds', () => {
  it('API refunds carry the Idempotency-Key on refund.created and charge.refunded', async () => {
    const refund = await stripe.refunds.create(
      { charge: charge.id, amount: 1000, metadata: { ledger_entry: 'le_1' } },
      { idempotencyKey: 'refund:le_1' },
    );
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual([
      'refund.created',
      'charge.refunded',
      'refund.updated',
      'charge.refund.updated',
    ]);
    // The card network's reference arrives later, by Stripe's own doing (no request).
    expect(events.map((e) => e.request?.idempotency_key)).toEqual(['refund:le_1', 'refund:le_1', null, null]);
    expect(events[0]?.request?.id).toBe(refund.lastResponse.requestId);
    expect(events[1]?.data.object).toMatchObject({ id: charge.id, amount_refunded: 1000, refunded: false });
    expect(events[1]?.data.previous_attributes).toEqual({ amount_refunded: 0 });
    const bt = await stripe.balanceTransactions.retrieve(String(refund.balance_transaction));
    expect(bt).toMatchObject({ amount: -1000, type: 'refund', source: refund.id });
  });

  it('a Dashboard refund has a request of its own, unrelated to any app key', async () => {
    const refund = await t.driver.refundFromDashboard(charge.id);
    expect(refund).toMatchObject({ amount: 3000, status: 'succeeded' });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual([
      'refund.created',
      'charge.refunded',
      'refund.updated',
      'charge.refund.updated',
    ]);
    expect(events[0]?.request?.id).toMatch(/^req_/);
    expect(events[0]?.request?.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(events[1]?.data.object).toMatchObject({ refunded: true, amount_refunded: 3000 });
    await expect(t.driver.refundFromDashboard(charge.id, 1)).rejects.toThrow(/already been refunded/);
  });

  it('a fraudulent refund puts the card and email on block lists; the next payment with them is blocked', async () => {
    await stripe.refunds.create({ charge: charge.id, reason: 'fraudulent' });
    const lists = await stripe.radar.valueLists.list();
    expect(lists.data.map((l) => l.alias).sort()).toEqual(['card_fingerprint_block_list', 'email_block_list']);
    const emails = lists.data.find((l) => l.alias === 'email_block_list') as Stripe.Radar.ValueList;
    expect(emails.list_items.data.map((i) => i.value)).toEqual(['payer@example.com']);

    const { pack } = await seedCatalog(stripe);
    const again = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: pack.id, quantity: 1 }],
    });
    const res = await t.driver.payCheckoutSession(again.id, 'card_success', { email: 'payer@example.com' });
    expect(res.error).toBe('Your card was declined.');
    expect(res.charge).toMatchObject({
      status: 'failed',
      outcome: { type: 'blocked', network_status: 'not_sent_to_network' },
    });
    const other = await t.driver.payCheckoutSession(again.id, 'card_success', { email: 'someone.else@example.com' });
    expect(other.session.payment_status).toBe('paid');
  });

  it('early fraud warning: actionable until the charge is fully refunded', async () => {
    const efw = await t.driver.createEarlyFraudWarning(charge.id, 'unauthorized_use_of_card');
    expect(efw).toMatchObject({ actionable: true, charge: charge.id, fraud_type: 'unauthorized_use_of_card' });
    await stripe.refunds.create({ charge: charge.id });
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual([
      'radar.early_fraud_warning.created',
      'refund.created',
      'charge.refunded',
      'refund.updated',
      'charge.refund.updated',
      'radar.early_fraud_warning.updated',
    ]);
    expect(events[5]?.data).toMatchObject({ object: { actionable: false }, previous_attributes: { actionable: true } });
    await expect(t.driver.createEarlyFraudWarning(charge.id, 'nonsense')).rejects.toThrow(/Invalid fraud_type/);
  });
});

describe('disputes', () => {
  it('won: withdrawn with the fee, evidence staged then submitted, funds reinstated without the fee', async () => {
    const dispute = await t.driver.openDispute(charge.id, 'fraudulent');
    expect(dispute).toMatchObject({
      status: 'needs_response',
      reason: 'fraudulent',
      amount: 3000,
      is_charge_refundable: false,
    });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(dispute.created + 6 * 86_400);
    expect(dispute.payment_method_details?.card).toMatchObject({
      case_type: 'chargeback',
      network_reason_code: '10.4',
    });
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ code: 'charge_disputed' });
    await expect(t.driver.openDispute(charge.id, 'fraudulent')).rejects.toThrow(/already disputed/);

    await stripe.disputes.update(
      dispute.id,
      { evidence: { customer_email_address: 'payer@example.com' }, submit: false },
      { idempotencyKey: 'ev-1' },
    );
    await stripe.disputes.update(dispute.id, { evidence: { uncategorized_text: 'Used 120 credits after purchase' } });
    await t.driver.closeDispute(dispute.id, 'won');
    const events = await newEvents();
    expect(events.map((e) => e.type)).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.updated',
      'charge.dispute.updated',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    expect(events[2]?.request?.idempotency_key).toBe('ev-1');
    expect(events[2]?.data.previous_attributes).toMatchObject({ evidence: { customer_email_address: null } });
    expect(events[3]?.data.object).toMatchObject({ status: 'under_review' });
    expect(events[3]?.data.previous_attributes).toMatchObject({ status: 'needs_response' });
    const final = await stripe.disputes.retrieve(dispute.id);
    expect(final.status).toBe('won');
    expect(final.balance_transactions.map((b) => [b.amount, b.fee, b.reporting_category])).toEqual([
      [-3000, 1500, 'dispute'],
      [3000, 0, 'dispute_reversal'],
    ]);
    await expect(t.driver.closeDispute(dispute.id, 'lost')).rejects.toThrow(/already closed/);
  });

  it('lost: closed without reinstatement', async () => {
    const dispute = await t.driver.openDispute(charge.id, 'product_not_received');
    await t.driver.closeDispute(dispute.id, 'lost');
    const types = (await newEvents()).map((e) => e.type);
    expect(types).toEqual(['charge.dispute.created', 'charge.dispute.funds_withdrawn', 'charge.dispute.closed']);
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe('lost');
  });

  it('inquiry: warning statuses, no money moves, the charge can still be refunded', async () => {
    const inquiry = await t.driver.openDispute(charge.id, 'unrecognized', { inquiry: true });
    expect(inquiry).toMatchObject({
      status: 'warning_needs_response',
      is_charge_refundable: true,
      balance_transactions: [],
    });
    const submitted = await stripe.disputes.update(inquiry.id, { evidence: { product_description: 'AI credits' } });
    expect(submitted.status).toBe('warning_under_review');
    const closed = await t.driver.closeDispute(inquiry.id, 'won');
    expect(closed.status).toBe('warning_closed');
    expect((await newEvents()).map((e) => e.type)).toEqual([
      'charge.dispute.created',
      'charge.dispute.updated',
      'charge.dispute.closed',
    ]);
    expect((await stripe.refunds.create({ charge: charge.id, amount: 500 })).status).toBe('succeeded');
  });
});
