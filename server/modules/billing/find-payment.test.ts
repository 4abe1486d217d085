// findPaymentForCharge is one raw statement on the path of every charge-level event: it must pick
// the payment by its strongest handle, link only ids no other payment holds, and hand back the row
// exactly as Prisma would read it (every field, every type).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import type { Tx } from '../../db/tx.ts';
import { findPaymentForCharge, linkPaymentIds } from './find-payment.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

let n = 0;
async function payment(ids: { paymentIntentId?: string; chargeId?: string; invoiceId?: string }) {
  n += 1;
  const customer = await db.prisma.customer.create({ data: { externalId: `fp-${n}`, email: `fp-${n}@example.com` } });
  return db.prisma.payment.create({
    data: {
      customerId: customer.id,
      kind: 'pack',
      catalogKey: 'pack_1000',
      checkoutSessionId: `cs_fp_${n}`,
      amount: 1000,
      currency: 'eur',
      status: 'paid',
      creditsGranted: 1000,
      purchaseIp: '203.0.113.7',
      paidAt: new Date('2026-12-01T10:00:00.123Z'),
      ...ids,
    },
  });
}

const find = (input: Parameters<typeof findPaymentForCharge>[1]) =>
  db.prisma.$transaction((tx: Tx) => findPaymentForCharge(tx, input));

describe('findPaymentForCharge', () => {
  it('links the charge to the payment of its payment intent and returns the row as Prisma reads it', async () => {
    const p = await payment({ paymentIntentId: 'pi_fp_a' });
    const found = await find({ chargeId: 'ch_fp_a', paymentIntentId: 'pi_fp_a' });
    const stored = await db.prisma.payment.findUniqueOrThrow({ where: { id: p.id } });
    expect(stored.chargeId).toBe('ch_fp_a');
    expect(found).toStrictEqual(stored);
    expect(found?.paidAt).toBeInstanceOf(Date);
    expect(stored.updatedAt.getTime()).toBeGreaterThanOrEqual(p.updatedAt.getTime());
  });

  it('changes nothing when the payment already has both ids, and returns it as stored', async () => {
    const p = await payment({ paymentIntentId: 'pi_fp_b', chargeId: 'ch_fp_b' });
    const found = await find({ chargeId: 'ch_fp_b', paymentIntentId: 'pi_fp_b' });
    expect(found).toStrictEqual(p);
  });

  it('prefers the charge over the payment intent, the payment intent over the invoice', async () => {
    const byCharge = await payment({ chargeId: 'ch_fp_c' });
    const byIntent = await payment({ paymentIntentId: 'pi_fp_c', invoiceId: 'in_fp_c2' });
    await payment({ invoiceId: 'in_fp_c' });
    expect((await find({ chargeId: 'ch_fp_c', paymentIntentId: 'pi_fp_c', invoiceId: 'in_fp_c' }))?.id).toBe(
      byCharge.id,
    );
    expect((await find({ chargeId: null, paymentIntentId: 'pi_fp_c', invoiceId: 'in_fp_c' }))?.id).toBe(byIntent.id);
    // The ids it chose by are held by other payments: neither is moved onto the chosen one.
    expect((await db.prisma.payment.findUniqueOrThrow({ where: { id: byCharge.id } })).paymentIntentId).toBeNull();
  });

  it('links by invoice the payment intent and charge it lacks', async () => {
    const invoice = await payment({ invoiceId: 'in_fp_d' });
    const linked = await find({ chargeId: 'ch_fp_d', paymentIntentId: 'pi_fp_d', invoiceId: 'in_fp_d' });
    expect(linked?.id).toBe(invoice.id);
    expect(linked).toMatchObject({ chargeId: 'ch_fp_d', paymentIntentId: 'pi_fp_d', invoiceId: 'in_fp_d' });
    expect(linked).toStrictEqual(await db.prisma.payment.findUniqueOrThrow({ where: { id: invoice.id } }));
  });

  it('answers null without a handle or without a match', async () => {
    expect(await find({ chargeId: null, paymentIntentId: null })).toBeNull();
    expect(await find({ chargeId: 'ch_fp_none', paymentIntentId: 'pi_fp_none', invoiceId: 'in_fp_none' })).toBeNull();
  });
});

describe('linkPaymentIds', () => {
  const link = (p: Parameters<typeof linkPaymentIds>[1], ids: Parameters<typeof linkPaymentIds>[2]) =>
    db.prisma.$transaction((tx: Tx) => linkPaymentIds(tx, p, ids));
  const read = (id: string) => db.prisma.payment.findUniqueOrThrow({ where: { id } });

  it('records the ids a payment lacks and returns its row as Prisma reads it', async () => {
    const p = await payment({ invoiceId: 'in_lk_a' });
    const linked = await link(p, { chargeId: 'ch_lk_a', paymentIntentId: 'pi_lk_a' });
    expect(linked).toMatchObject({ chargeId: 'ch_lk_a', paymentIntentId: 'pi_lk_a' });
    expect(linked).toStrictEqual(await read(p.id));
  });

  it('leaves an id another payment holds where it is, and links the other one', async () => {
    await payment({ chargeId: 'ch_lk_b' });
    const p = await payment({ invoiceId: 'in_lk_b' });
    const linked = await link(p, { chargeId: 'ch_lk_b', paymentIntentId: 'pi_lk_b' });
    expect(linked).toMatchObject({ chargeId: null, paymentIntentId: 'pi_lk_b' });
    expect(await link(await read(p.id), { chargeId: 'ch_lk_b', paymentIntentId: 'pi_lk_b' })).toBeNull();
    expect((await read(p.id)).chargeId).toBeNull();
  });

  it('never replaces an id the payment already has, even when the caller read it before it was set', async () => {
    const p = await payment({ invoiceId: 'in_lk_c' });
    await db.prisma.payment.update({ where: { id: p.id }, data: { chargeId: 'ch_lk_c_first' } });
    // `p` is stale (no charge id): the statement sees the current row.
    expect(await link(p, { chargeId: 'ch_lk_c_second', paymentIntentId: null })).toBeNull();
    expect((await read(p.id)).chargeId).toBe('ch_lk_c_first');
  });

  it('answers null and writes nothing when there is nothing to link', async () => {
    const p = await payment({ paymentIntentId: 'pi_lk_d', chargeId: 'ch_lk_d' });
    expect(await link(p, { chargeId: 'ch_lk_d', paymentIntentId: 'pi_lk_d' })).toBeNull();
    expect(await link(p, { chargeId: null, paymentIntentId: null })).toBeNull();
    expect(await read(p.id)).toStrictEqual(p);
  });
});
