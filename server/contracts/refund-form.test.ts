// The refund form's contract: the amount as people type it, in the payment's currency, read into
// the request's minor units and never above the live proposal; the reason is the request's rule.
import { describe, expect, it } from 'vitest';
import { refundFormInput } from './refunds.ts';

const words = { reason: 'Customer asked (ticket 1)', stripeReason: 'requested_by_customer' } as const;
const messages = (r: { success: boolean; error?: { issues: Array<{ message: string }> } }) =>
  r.success ? [] : (r.error?.issues.map((i) => i.message) ?? []);

describe('refundFormInput', () => {
  it('reads "6,50" and "6.5" as 650 minor units, and JPY without decimals', () => {
    expect(refundFormInput('eur', 1000).parse({ ...words, amount: '6,50' }).amount).toBe(650);
    expect(refundFormInput('eur', 1000).parse({ ...words, amount: '6.5' }).amount).toBe(650);
    expect(refundFormInput('jpy', 1000).parse({ ...words, amount: '500' }).amount).toBe(500);
  });

  it('refuses more than the proposal, text that is no amount, and nothing', () => {
    expect(messages(refundFormInput('eur', 1000).safeParse({ ...words, amount: '10.01' }))).toEqual([
      'At most €10.00: the amount can be lowered, never raised',
    ]);
    expect(messages(refundFormInput('eur', 1000).safeParse({ ...words, amount: 'ten' }))).toEqual([
      'Enter an amount like 6.00',
    ]);
    expect(messages(refundFormInput('eur', 1000).safeParse({ ...words, amount: '0' }))).toEqual([
      'The amount must be above 0',
    ]);
    expect(refundFormInput('eur', 1000).safeParse({ ...words, amount: '10.00' }).success).toBe(true);
  });

  it("keeps the request's reason rule", () => {
    expect(messages(refundFormInput('eur', 1000).safeParse({ ...words, reason: 'no', amount: '1' }))).toEqual([
      'Say why in a few words (5 characters or more)',
    ]);
  });
});
