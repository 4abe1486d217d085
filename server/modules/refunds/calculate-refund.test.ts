// The calculator's cases, one per situation finance meets: unused, partly used, all used,
// expired, frozen, already partly refunded (with and without the credits taken back), rounding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calculateRefund, clawbackCreditsFor, clawbackFormulaFor, type RefundFigures } from './calculate-refund.ts';

const base: RefundFigures = {
  currency: 'eur',
  amountPaid: 1000,
  granted: 1000,
  used: 0,
  expired: 0,
  frozen: 0,
  refundedCredits: 0,
  disputed: 0,
  remaining: 1000,
  alreadyRefunded: 0,
  disputeStatus: null,
};
const calc = (f: Partial<RefundFigures>) => calculateRefund({ ...base, ...f });

describe('calculateRefund', () => {
  it('unused: the full amount, every credit back', () => {
    const c = calc({});
    expect(c).toMatchObject({
      rule: 'full',
      proposal: 1000,
      refundable: 1000,
      creditsToClawBack: 1000,
      blockedReason: null,
    });
    expect(c.formula).toBe('Nothing used: full amount €10.00 − €0.00 already refunded = €10.00');
  });

  it('partly used: amount × remaining / granted, the remaining credits back', () => {
    const c = calc({ used: 400, remaining: 600 });
    expect(c).toMatchObject({ rule: 'proportional', proposal: 600, creditsToClawBack: 600 });
    expect(c.formula).toBe('€10.00 × 600 remaining / 1,000 granted = €6.00, − €0.00 already refunded = €6.00');
  });

  it('all used: nothing to refund, said in words', () => {
    const c = calc({ used: 1000, remaining: 0 });
    expect(c.proposal).toBe(0);
    expect(c.creditsToClawBack).toBe(0);
    expect(c.blockedReason).toMatch(/Nothing is left to refund/);
  });

  it('expired credits are not refunded (and expired alone already makes it proportional)', () => {
    expect(calc({ expired: 1000, remaining: 0 })).toMatchObject({ rule: 'proportional', proposal: 0 });
    expect(calc({ expired: 300, used: 200, remaining: 500 })).toMatchObject({ proposal: 500, creditsToClawBack: 500 });
  });

  it('frozen credits block the refund: the dispute decides', () => {
    const c = calc({ frozen: 1000 });
    expect(c.proposal).toBe(1000);
    expect(c.blockedReason).toBe(
      '1,000 credits of this payment are frozen by an open dispute: the dispute decides what happens to them, so no refund can be made now.',
    );
    expect(calc({ disputeStatus: 'lost', disputed: 1000, remaining: 0 }).blockedReason).toMatch(/lost dispute/);
    expect(calc({ disputeStatus: 'needs_response' }).blockedReason).toMatch(/dispute is open/);
  });

  it('already partly refunded with credits taken back: the rest is still worth the rest', () => {
    // A dashboard refund of €3.00 took 300 credits; nothing used: €7.00 and 700 credits left.
    expect(calc({ alreadyRefunded: 300, refundedCredits: 300, remaining: 700 })).toMatchObject({
      rule: 'full',
      proposal: 700,
      creditsToClawBack: 700,
    });
    // 400 used, then a lowered refund of €3.00 took 300 of the 600 left: €3.00 for 300 remain.
    const c = calc({ used: 400, alreadyRefunded: 300, refundedCredits: 300, remaining: 300 });
    expect(c).toMatchObject({ proposal: 300, creditsToClawBack: 300 });
    expect(c.formula).toBe(
      '€10.00 × (300 remaining + 300 taken back by earlier refunds) / 1,000 granted = €6.00, − €3.00 already refunded = €3.00',
    );
  });

  it('already partly refunded without credits taken back (goodwill): subtracted, never below zero', () => {
    expect(calc({ used: 400, remaining: 600, alreadyRefunded: 200 })).toMatchObject({ proposal: 400 });
    const c = calc({ used: 900, remaining: 100, alreadyRefunded: 500 });
    expect(c.proposal).toBe(0);
    expect(c.formula).toMatch(/\(nothing below zero\)$/);
    expect(calc({ alreadyRefunded: 1000, remaining: 0, refundedCredits: 1000 }).blockedReason).toBe(
      'This payment has been refunded in full already.',
    );
  });

  it('rounds down to the minor unit', () => {
    // 1000 × 1 / 3 = 333.33 -> 333; 999 × 4 / 7 = 570.86 -> 570; 1 × 999 / 1000 = 0.999 -> 0.
    expect(calc({ amountPaid: 1000, granted: 3, used: 2, remaining: 1 }).proposal).toBe(333);
    expect(calc({ amountPaid: 999, granted: 7, used: 3, remaining: 4 }).proposal).toBe(570);
    expect(calc({ amountPaid: 1, granted: 1000, used: 1, remaining: 999 }).proposal).toBe(0);
  });

  it('a payment without credits refunds its refundable balance', () => {
    expect(calc({ granted: 0, remaining: 0, alreadyRefunded: 250 })).toMatchObject({
      rule: 'no_credits',
      proposal: 750,
      creditsToClawBack: 0,
    });
  });

  it('a lowered amount takes back the credits it pays for (the refund rule)', () => {
    const c = calc({ used: 400, remaining: 600 });
    expect(clawbackCreditsFor(c, 300)).toBe(300);
    expect(clawbackCreditsFor(c, 1)).toBe(1);
    expect(clawbackCreditsFor(c, 600)).toBe(600);
    expect(clawbackCreditsFor(c, 5000)).toBe(600);
    // 2,000 credits for €29.00: €10.00 pays for 689.66 credits -> 690.
    const big = calc({ amountPaid: 2900, granted: 2000, used: 500, remaining: 1500 });
    expect(clawbackCreditsFor(big, 1000)).toBe(690);
  });

  it('a dashboard refund that took the credits it paid for leaves the calculator nothing to propose', () => {
    // €6.00 refunded in Stripe on a €10.00 / 1,000-credit pack with 400 used took 600 credits.
    const c = calc({ used: 400, remaining: 0, refundedCredits: 600, alreadyRefunded: 600 });
    expect(c).toMatchObject({ proposal: 0, refundable: 400, creditsToClawBack: 0 });
    expect(c.blockedReason).toMatch(/Nothing is left to refund/);
  });

  it('refunds in any steps never pay out more than the unused credits are worth, nor leave a minor unit of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        (amountPaid, granted, u, steps) => {
          const used = u % (granted + 1);
          let f: RefundFigures = { ...base, amountPaid, granted, used, remaining: granted - used };
          // Lowered refunds first (a share of each proposal), then whatever is left, until nothing is.
          for (const share of [...steps, 1, 1]) {
            const c = calculateRefund(f);
            const amount = Math.max(share === 1 ? c.proposal : Math.floor(c.proposal * share), 0);
            if (amount <= 0 || c.blockedReason) continue;
            const credits = clawbackCreditsFor(c, amount);
            expect(credits).toBeLessThanOrEqual(f.remaining);
            f = {
              ...f,
              remaining: f.remaining - credits,
              refundedCredits: f.refundedCredits + credits,
              alreadyRefunded: f.alreadyRefunded + amount,
            };
          }
          expect(calculateRefund(f).proposal).toBe(0);
          // Never more money back than the unused share was worth (all of it when nothing was used).
          if (used > 0) expect(f.alreadyRefunded * granted).toBeLessThanOrEqual(amountPaid * (granted - used));
          else expect(f.alreadyRefunded).toBe(amountPaid);
          // What the customer keeps once nothing more is refundable is worth less than one minor unit.
          expect(f.remaining * amountPaid).toBeLessThan(granted);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the fingerprint changes with any figure', () => {
    const fields = [
      'used',
      'expired',
      'frozen',
      'refundedCredits',
      'disputed',
      'remaining',
      'alreadyRefunded',
      'granted',
      'amountPaid',
    ] as const;
    for (const field of fields) expect(calc({ [field]: 7 }).fingerprint).not.toBe(calc({}).fingerprint);
  });

  it('never proposes more than is refundable or than the unused share is worth', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (amountPaid, granted, a, b, r) => {
          const used = a % (granted + 1);
          const refundedCredits = b % (granted - used + 1);
          const remaining = granted - used - refundedCredits;
          const alreadyRefunded = r % (amountPaid + 1);
          const c = calculateRefund({
            ...base,
            amountPaid,
            granted,
            used,
            refundedCredits,
            remaining,
            alreadyRefunded,
          });
          expect(c.proposal).toBeGreaterThanOrEqual(0);
          expect(c.proposal).toBeLessThanOrEqual(amountPaid - alreadyRefunded);
          expect(c.creditsToClawBack).toBeLessThanOrEqual(remaining);
          if (used > 0) expect(c.proposal * granted).toBeLessThanOrEqual(amountPaid * (remaining + refundedCredits));
        },
      ),
    );
  });
});

// Issue 16: the approval dialog shows the requested amount's own calculation, not the proposal's.
describe('clawbackFormulaFor', () => {
  it('spells out the request, not the proposal, and agrees with clawbackCreditsFor', () => {
    const c = calc({ used: 400, remaining: 600 });
    expect(clawbackFormulaFor(c, 300)).toBe(
      '€3.00 requested: €3.00 of €10.00 paid × 1,000 granted = 300 credits (rounded up) → 300 credits taken back',
    );
    expect(clawbackCreditsFor(c, 300)).toBe(300);
    // More than the lot still holds: capped, and said so.
    const few = calc({ used: 900, remaining: 100 });
    expect(clawbackFormulaFor(few, few.proposal)).toBe(
      '€1.00 requested: €1.00 of €10.00 paid × 1,000 granted = 100 credits (rounded up) → 100 credits taken back',
    );
    const odd = calc({ amountPaid: 999, granted: 1000, remaining: 1000 });
    expect(clawbackFormulaFor(odd, 1)).toBe(
      '€0.01 requested: €0.01 of €9.99 paid × 1,000 granted = 2 credits (rounded up) → 2 credits taken back',
    );
    expect(clawbackFormulaFor(calc({ granted: 0, remaining: 0 }), 500)).toBe(
      '€5.00 requested; this payment granted no credits, so none are taken back',
    );
  });

  it('says when a request is above what can be refunded now', () => {
    const c = calc({ used: 400, remaining: 600 });
    expect(clawbackFormulaFor(c, 800)).toContain('€8.00 requested (at most €6.00 can be refunded now)');
  });
});
