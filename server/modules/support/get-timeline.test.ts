import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { TimelineInput, TimelineItem } from '../../contracts/support.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getTimeline } from './get-timeline.ts';
import { grant, makeCustomer, makePayment, STAFF, storeEvent, uid, use } from './testing/history-builder.ts';

let db: TestDatabase;
let customerId: string;
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  const c = await makeCustomer(p, { externalId: 'user_tl', email: 'tl@example.test', stripeCustomerId: 'cus_tl' });
  customerId = c.id;
  await p.creditPack.create({ data: { key: 'starter', name: 'Starter pack', credits: 500 } });
  const pay = await makePayment(p, {
    customerId,
    checkoutSessionId: 'cs_tl1',
    paymentIntentId: 'pi_tl1',
    chargeId: 'ch_tl1',
    creditsGranted: 500,
    createdAt: at(1),
  });
  await storeEvent(p, {
    id: 'evt_tl_cs',
    type: 'checkout.session.completed',
    created: at(1),
    object: { id: 'cs_tl1', payment_intent: 'pi_tl1' },
    customerId,
    deliveries: 2,
  });
  await storeEvent(p, {
    id: 'evt_tl_ch',
    type: 'charge.succeeded',
    created: at(1),
    object: { id: 'ch_tl1', payment_intent: 'pi_tl1' },
    customerId,
  });
  await storeEvent(p, {
    id: 'evt_tl_fail',
    type: 'invoice.paid',
    created: at(2),
    object: { id: 'in_tl1' },
    customerId,
    status: 'failed',
    cause: { code: 'unknown_price', detail: { priceId: 'price_x' } },
    attempts: [
      { outcome: 'error', error: 'boom' },
      { outcome: 'failed', error: 'unknown price price_x' },
    ],
  });
  // Not linked to anyone, but it carries this customer's email.
  await storeEvent(p, {
    id: 'evt_tl_orphan',
    type: 'checkout.session.completed',
    created: at(3),
    object: { id: 'cs_tl_orphan', customer_details: { email: 'TL@example.test' } },
    status: 'failed',
    lastError: 'no customer',
  });
  // 30 events in one second: the cursor must split them without loss.
  for (let i = 0; i < 30; i++) {
    await storeEvent(p, {
      id: `evt_tl_burst_${String(i).padStart(2, '0')}`,
      type: 'customer.updated',
      created: at(5),
      object: { id: 'cus_tl' },
      customerId,
      status: 'ignored',
      attempts: [],
    });
  }
  await p.refund.create({
    data: {
      stripeRefundId: 're_tl1',
      paymentId: pay.id,
      customerId,
      amount: 100,
      currency: 'eur',
      status: 'succeeded',
      origin: 'stripe_dashboard',
      idempotencyKey: uid('rf_'),
      createdAt: at(6),
    },
  });
  await grant(p, customerId, 500, { source: 'pack_purchase', reference: 'cs_tl1' });
  for (let i = 0; i < 5; i++) await use(p, customerId, 'chat', 1, at(10 + i));
  await use(p, customerId, 'image', 10, at(70));
  await p.customerNote.create({
    data: { customerId, authorId: STAFF.id, body: 'Called the customer', createdAt: at(8) },
  });
  await recordAudit(p, {
    actor: STAFF,
    action: 'customer.note',
    targetType: 'customer',
    targetId: customerId,
    customerId,
    reason: 'ticket 42',
  });
  await p.blockEvent.create({
    data: { customerId, action: 'block', reason: 'too many disputes', actorId: 'system', createdAt: at(9) },
  });
});

afterAll(async () => db?.drop());

async function all(limit: number, extra: Omit<TimelineInput, 'customerId'> = {}) {
  const items: TimelineItem[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 200; guard++) {
    const page = await getTimeline(db.prisma, { customerId, limit, cursor, ...extra });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}

describe('getTimeline', () => {
  it('pages through every item exactly once, newest first, whatever the page size', async () => {
    const whole = await all(200);
    expect(whole.length).toBeGreaterThan(40);
    for (let i = 1; i < whole.length; i++) {
      expect(whole[i - 1]!.at.getTime()).toBeGreaterThanOrEqual(whole[i]!.at.getTime());
    }
    for (const size of [1, 7, 25]) {
      const paged = await all(size);
      expect(paged.map((i) => i.key)).toEqual(whole.map((i) => i.key));
    }
    expect(new Set(whole.map((i) => i.key)).size).toBe(whole.length);
  });

  it('joins each event with its deliveries and processing attempts', async () => {
    const items = await all(200, { kinds: ['event'] });
    const failed = items.find((i) => i.id === 'evt_tl_fail')!;
    expect(failed.tone).toBe('danger');
    expect(failed.summary).toContain('unknown price price_x');
    expect(failed.steps.map((s) => s.label)).toEqual(['Delivered by Stripe', 'Processing error', 'Processing: failed']);
    const twice = items.find((i) => i.id === 'evt_tl_cs')!;
    expect(twice.steps.filter((s) => s.label.includes('duplicate'))).toHaveLength(1);
    expect(twice.summary).toContain('applied');
    expect(items.every((i) => i.kind === 'event')).toBe(true);
  });

  // Issue 16: one status vocabulary (a refund that went through is "refunded" in its badge and in
  // its words alike, as on the Refunds page), and packs and plans by name, not by catalog key.
  it('words statuses the way every page does and names what was bought', async () => {
    const items = await all(200);
    const refund = items.find((i) => i.kind === 'refund')!;
    expect(refund.status).toBe('refunded');
    expect(refund.summary).toMatch(/^\{\{money 100 eur\}\} refunded/);
    expect(refund.summary).not.toContain('succeeded');
    const payment = items.find((i) => i.kind === 'payment')!;
    expect(payment.title).toBe('Payment for credit pack "Starter pack"');
    expect(payment.summary).toMatch(/^\{\{money 600 eur\}\} paid/);
    const ignored = items.find((i) => i.id === 'evt_tl_burst_00')!;
    expect(ignored.status).toBe('ignored');
  });

  it('shows unlinked events that carry the customer’s email', async () => {
    const items = await all(200, { kinds: ['event'] });
    const orphan = items.find((i) => i.id === 'evt_tl_orphan')!;
    expect(orphan.summary).toContain('Not linked to a customer yet');
  });

  it('links session, payment intent, charge and refund into one chain', async () => {
    const items = await all(200);
    const chainOf = (pred: (i: TimelineItem) => boolean) => items.find(pred)?.chain;
    expect(chainOf((i) => i.id === 'evt_tl_cs')).toBe('cs_tl1');
    expect(chainOf((i) => i.id === 'evt_tl_ch')).toBe('cs_tl1');
    expect(chainOf((i) => i.kind === 'refund')).toBe('cs_tl1');
    expect(chainOf((i) => i.kind === 'payment')).toBe('cs_tl1');
    expect(chainOf((i) => i.kind === 'ledger' && i.title === 'Credits purchased')).toBe('cs_tl1');
  });

  it('groups usage per hour or day, and keeps usage entries out of the ledger kind', async () => {
    const hourly = await all(200, { kinds: ['usage'] });
    expect(hourly.map((i) => [i.id, i.credits])).toEqual([
      ['2026-03-01T11:00:00.000Z', -10],
      ['2026-03-01T10:00:00.000Z', -5],
    ]);
    expect(hourly[1]!.summary).toContain('5 requests');
    const daily = await all(200, { kinds: ['usage'], usageBucket: 'day' });
    expect(daily.map((i) => i.credits)).toEqual([-15]);
    const ledger = await all(200, { kinds: ['ledger'] });
    expect(ledger.map((i) => i.title)).toEqual(['Credits purchased']);
  });

  it('pages usage groups by cursor', async () => {
    const paged = await all(1, { kinds: ['usage'] });
    expect(paged).toHaveLength(2);
  });

  it('includes notes, blocks and staff actions', async () => {
    const items = await all(200, { kinds: ['note', 'block', 'audit'] });
    expect(items.map((i) => i.kind).sort()).toEqual(['audit', 'block', 'note']);
  });

  it('refuses a cursor it did not make', async () => {
    await expect(getTimeline(db.prisma, { customerId, cursor: 'nonsense' })).rejects.toThrow(/not valid/);
  });
});
