// The refund rule on its own; refund-paths-agree.test.ts proves both refund paths use it.
import { describe, expect, it } from 'vitest';
import { refundClawbackCredits } from './refund-clawback-credits.ts';

describe('the refund rule', () => {
  it('takes back the credits the refund pays for, rounded up, never more than remain', () => {
    const pack = { paidAmount: 1000, grantedCredits: 1000 };
    // EUR 6.00 of a EUR 10.00 / 1,000-credit pack pays for 600 credits, whatever was used.
    expect(refundClawbackCredits({ ...pack, remainingCredits: 600, refundAmount: 600 })).toBe(600);
    expect(refundClawbackCredits({ ...pack, remainingCredits: 1000, refundAmount: 600 })).toBe(600);
    expect(refundClawbackCredits({ ...pack, remainingCredits: 100, refundAmount: 600 })).toBe(100);
    // 333 x 500 / 1000 = 166.5 -> 167: a refund never leaves a fraction it paid for.
    expect(
      refundClawbackCredits({ paidAmount: 1000, grantedCredits: 500, remainingCredits: 500, refundAmount: 333 }),
    ).toBe(167);
    expect(refundClawbackCredits({ ...pack, remainingCredits: 0, refundAmount: 1000 })).toBe(0);
    expect(refundClawbackCredits({ ...pack, grantedCredits: 0, remainingCredits: 10, refundAmount: 1000 })).toBe(0);
    expect(refundClawbackCredits({ ...pack, remainingCredits: 10, refundAmount: 0 })).toBe(0);
  });
});
