// The two refund paths agree, figure for figure (issue 13.2), on real PostgreSQL and the Stripe
// emulator: two customers make identical purchases and use identical credits; one is refunded in
// Creditdesk (calculator -> request -> Stripe), the other by the same amounts in "Stripe's
// dashboard" (refunds.create without our metadata, mirrored from refund.created / charge.refunded).
// Credits taken back, balances and what the calculator then proposes must be the same.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../lib/actor.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { verifyLedger } from '../ledger/verify-ledger.ts';
import { startRefundWorld, type RefundWorld } from '../../../test/refunds/refund-world.ts';

let w: RefundWorld;
const PRODUCT: Actor = { type: 'service', id: 'product' };
const PACKS = ['ten', 'starter', 'big'] as const; // 1,000 for EUR 10.00; 500 for EUR 9.00; 2,000 for EUR 29.00

beforeAll(async () => {
  w = await startRefundWorld();
  // The issue's own example: a EUR 10.00 pack of 1,000 credits.
  await w.db.creditPack.create({ data: { key: 'ten', name: 'Ten euro pack', credits: 1000, position: 2 } });
  const product = await w.stripe.products.create({ name: 'ten' });
  const price = await w.stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 1000 });
  await w.db.catalogPrice.create({ data: { stripePriceId: price.id, packKey: 'ten' } });
  await w.db.catalogRules.update({ where: { id: 1 }, data: { refundApprovalAbove: 1_000_000 } });
}, 60_000);
afterAll(async () => {
  await w?.stop();
});

async function use(customerId: string, credits: number) {
  if (credits <= 0) return;
  await consumeCredits(w.db, {
    customerId,
    credits,
    idempotencyKey: randomUUID(),
    reason: 'generation',
    actor: PRODUCT,
  });
}

async function calculation(paymentId: string) {
  const { calculation: c } = await w.as('finance').refunds.preview({ paymentId });
  return c;
}

/** The figures that must match between the two customers (ids and fingerprints aside). */
async function figures(customerId: string, paymentId: string) {
  const c = await calculation(paymentId);
  const refunds = await w.db.refund.findMany({ where: { paymentId }, orderBy: { createdAt: 'asc' } });
  return {
    balance: await w.balance(customerId),
    clawedBack: refunds.map((r) => [r.amount, r.creditsClawedBack]),
    calc: {
      used: c.used,
      remaining: c.remaining,
      refundedCredits: c.refundedCredits,
      alreadyRefunded: c.alreadyRefunded,
      proposal: c.proposal,
      creditsToClawBack: c.creditsToClawBack,
      blockedReason: c.blockedReason,
    },
  };
}

async function refundInCreditdesk(paymentId: string, amount: number) {
  const c = await calculation(paymentId);
  const { refund } = await w.as('finance').refunds.request({
    paymentId,
    amount,
    reason: 'Customer asked (paths test)',
    stripeReason: 'requested_by_customer',
    requestId: randomUUID(),
    fingerprint: c.fingerprint,
  });
  expect(refund.status).toBe('succeeded');
  await w.settled();
}

async function refundInDashboard(chargeId: string, amount: number) {
  await w.stripe.refunds.create({ charge: chargeId, amount });
  await w.settled();
}

/** Both customers buy `pack`, use `used`, and get refunds of `amounts` (each a share of the proposal). */
async function bothPaths(pack: string, used: number, shares: number[]) {
  const here = await w.buyPack(pack);
  const there = await w.buyPack(pack);
  await use(here.customerId, used);
  await use(there.customerId, used);
  for (const share of shares) {
    const before = await calculation(here.payment.id);
    expect(await calculation(there.payment.id)).toMatchObject({ proposal: before.proposal });
    const amount = Math.floor(before.proposal * share);
    if (amount <= 0 || before.blockedReason) break;
    await refundInCreditdesk(here.payment.id, amount);
    await refundInDashboard(there.chargeId, amount);
    expect(await figures(there.customerId, there.payment.id)).toEqual(await figures(here.customerId, here.payment.id));
  }
  expect(await verifyLedger(w.db, here.customerId)).toEqual([]);
  expect(await verifyLedger(w.db, there.customerId)).toEqual([]);
  return { here, there };
}

describe('a refund takes back the credits it pays for, whichever path made it', () => {
  it('EUR 6.00 of a EUR 10.00 / 1,000-credit pack with 400 used takes back 600 either way', async () => {
    const { here, there } = await bothPaths('ten', 400, [1]);
    for (const side of [here, there]) {
      const refund = await w.db.refund.findFirstOrThrow({ where: { paymentId: side.payment.id } });
      expect(refund).toMatchObject({ amount: 600, creditsClawedBack: 600 });
      expect(await w.balance(side.customerId)).toBe(0);
      // The calculator then shows what is really left: nothing, and says why.
      expect(await calculation(side.payment.id)).toMatchObject({
        remaining: 0,
        refundedCredits: 600,
        alreadyRefunded: 600,
        proposal: 0,
      });
    }
    const dashboard = await w.db.refund.findFirstOrThrow({ where: { paymentId: there.payment.id } });
    expect(dashboard.origin).toBe('stripe_dashboard');
  });

  it('over many packs, usages and partial amounts the two paths agree figure for figure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PACKS),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }),
        async (pack, usedShare, shares) => {
          const credits = pack === 'ten' ? 1000 : pack === 'starter' ? 500 : 2000;
          await bothPaths(pack, Math.floor(credits * usedShare), [...shares, 1]);
        },
      ),
      { numRuns: 8, seed: 1313 },
    );
  }, 240_000);
});
