// One status vocabulary (issue 16): a refund that went through reads the same, in the same
// colour, as the payment it refunded, on the Refunds page, the customer's payments and the
// timeline; every stored status has words; the timeline's tones come from the same map.
import { describe, expect, it } from 'vitest';
import { disputeTone, paymentTone, refundTone, subscriptionTone } from '../modules/support/timeline/words.ts';
import { STATUS_WORDS, statusWords } from './status-words.ts';
import { REFUND_STATUSES } from './statuses.ts';

describe('status words', () => {
  it('says "refunded" in one colour for a refund that went through and a refunded payment', () => {
    expect(statusWords('refund', 'succeeded')).toEqual(statusWords('payment', 'refunded'));
    expect(statusWords('refund', 'succeeded')).toEqual({ tone: 'neutral', label: 'refunded' });
    expect(refundTone('succeeded')).toBe(paymentTone('refunded'));
  });

  it('has words for every refund and payment status we store', () => {
    for (const s of REFUND_STATUSES) expect(STATUS_WORDS.refund[s], s).toBeDefined();
    for (const s of ['pending', 'paid', 'failed', 'refunded', 'partially_refunded']) {
      expect(STATUS_WORDS.payment[s], s).toBeDefined();
    }
  });

  it('the timeline tones are the badge tones', () => {
    for (const [kind, tone] of [
      ['dispute', disputeTone],
      ['subscription', subscriptionTone],
      ['payment', paymentTone],
      ['refund', refundTone],
    ] as const) {
      for (const status of Object.keys(STATUS_WORDS[kind])) expect(tone(status)).toBe(statusWords(kind, status).tone);
    }
    expect(statusWords('payment', 'something_new')).toEqual({ tone: 'neutral', label: 'something new' });
  });
});
