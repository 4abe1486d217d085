import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { searchCustomers } from './search-customers.ts';
import { makeCustomer, makePayment, storeEvent, uid } from './testing/history-builder.ts';

let db: TestDatabase;
let ada: Awaited<ReturnType<typeof makeCustomer>>;
let bob: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.prisma;
  ada = await makeCustomer(p, {
    externalId: 'user_ada',
    email: 'ada@example.test',
    name: 'Ada Lovelace',
    stripeCustomerId: 'cus_ada1',
  });
  bob = await makeCustomer(p, { externalId: 'user_bob', email: 'bob@example.test', name: 'Bob Byron' });
  await makeCustomer(p, { externalId: 'user_adam', email: 'adam@example.test', name: 'adam smith' });
  const pay = await makePayment(p, {
    customerId: ada.id,
    checkoutSessionId: 'cs_test_ada1',
    paymentIntentId: 'pi_ada1',
    chargeId: 'ch_ada1',
  });
  const inv = await makePayment(p, { customerId: bob.id, invoiceId: 'in_bob1', subscriptionId: 'sub_bob1' });
  await p.subscription.create({ data: { id: 'sub_bob1', customerId: bob.id, status: 'active', planKey: 'pro' } });
  await p.refund.create({
    data: {
      stripeRefundId: 're_ada1',
      paymentId: pay.id,
      customerId: ada.id,
      amount: 100,
      currency: 'eur',
      status: 'succeeded',
      origin: 'stripe_dashboard',
      idempotencyKey: uid('rf_'),
    },
  });
  await p.dispute.create({
    data: {
      id: 'dp_bob1',
      chargeId: 'ch_bob1',
      paymentId: inv.id,
      customerId: bob.id,
      amount: 2000,
      currency: 'eur',
      reason: 'fraudulent',
      status: 'needs_response',
      stripeCreated: new Date(),
    },
  });
  await storeEvent(p, {
    id: 'evt_ada1',
    type: 'checkout.session.completed',
    created: new Date(),
    object: { id: 'cs_test_ada1' },
    customerId: ada.id,
  });
  // Known only from an event that failed before it could be linked.
  await storeEvent(p, {
    id: 'evt_orphan1',
    type: 'checkout.session.completed',
    created: new Date(),
    object: { id: 'cs_test_orphan1' },
    status: 'failed',
    lastError: 'no customer',
  });
  // A charge known only from a stored event about it.
  await storeEvent(p, {
    id: 'evt_bobch',
    type: 'charge.refunded',
    created: new Date(),
    object: { id: 'ch_bobonly' },
    customerId: bob.id,
  });
});

afterAll(async () => db?.drop());

describe('searchCustomers', () => {
  const search = (q: string, extra: { cursor?: string | null; limit?: number } = {}) =>
    searchCustomers(db.prisma, { q, ...extra });
  const only = async (q: string) => {
    const r = await search(q);
    expect(r.exact).toBe(true);
    return r.items.map((i) => i.customer.externalId);
  };

  it.each([
    ['cus_ada1', 'user_ada'],
    ['cs_test_ada1', 'user_ada'],
    ['pi_ada1', 'user_ada'],
    ['ch_ada1', 'user_ada'],
    ['re_ada1', 'user_ada'],
    ['evt_ada1', 'user_ada'],
    ['in_bob1', 'user_bob'],
    ['sub_bob1', 'user_bob'],
    ['dp_bob1', 'user_bob'],
    ['ch_bob1', 'user_bob'],
    ['ch_bobonly', 'user_bob'],
  ])('resolves %s to its customer', async (handle, externalId) => {
    expect(await only(handle)).toEqual([externalId]);
  });

  it('says which object matched', async () => {
    const r = await search('pi_ada1');
    expect(r.items[0]?.match).toMatchObject({ field: 'stripe', value: 'pi_ada1', label: 'payment intent (payment)' });
  });

  it('reports a Stripe id known only from an unlinked event', async () => {
    const r = await search('cs_test_orphan1');
    expect(r.items).toEqual([]);
    expect(r.unlinked).toEqual([
      expect.objectContaining({
        eventId: 'evt_orphan1',
        objectId: 'cs_test_orphan1',
        status: 'failed',
        lastError: 'no customer',
      }),
    ]);
    const byEvent = await search('evt_orphan1');
    expect(byEvent.unlinked[0]?.eventId).toBe('evt_orphan1');
  });

  it('finds by exact email (any case), user id and our id', async () => {
    expect((await search('ADA@example.test')).items.map((i) => i.customer.externalId)).toEqual(['user_ada']);
    expect((await search('user_bob')).items[0]?.match.field).toBe('externalId');
    expect(await only(ada.id)).toEqual(['user_ada']);
  });

  it('finds by email and name prefix, whatever the case of the name', async () => {
    const byPrefix = await search('ada');
    expect(byPrefix.items.map((i) => i.customer.externalId).sort()).toEqual(['user_ada', 'user_adam']);
    expect((await search('Adam')).items.map((i) => i.customer.externalId)).toEqual(['user_adam']);
    expect((await search('byron')).items).toEqual([]);
    expect((await search('Bob B')).items.map((i) => i.customer.externalId)).toEqual(['user_bob']);
  });

  it('treats % and _ as the characters typed, not LIKE wildcards', async () => {
    expect((await search('%')).items).toEqual([]);
    expect((await search('_')).items).toEqual([]);
    expect((await search('a_a')).items).toEqual([]);
    expect((await search('%example')).items).toEqual([]);
    expect((await search('ad%')).items).toEqual([]);
  });

  it('pages by cursor without repeating or skipping', async () => {
    const p = db.prisma;
    for (let i = 0; i < 7; i++) await makeCustomer(p, { externalId: `pager_${i}`, email: `pager${i}@example.test` });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const r = await search('pager', { cursor, limit: 3 });
      seen.push(...r.items.map((i) => i.customer.externalId));
      cursor = r.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['pager_0', 'pager_1', 'pager_2', 'pager_3', 'pager_4', 'pager_5', 'pager_6']);
  });

  it('lists the newest customers when the box is empty', async () => {
    const r = await search('', { limit: 2 });
    expect(r.items).toHaveLength(2);
    expect(r.nextCursor).not.toBeNull();
    const next = await search('', { cursor: r.nextCursor, limit: 2 });
    expect(next.items.map((i) => i.customer.id)).not.toContain(r.items[0]?.customer.id);
  });
});
