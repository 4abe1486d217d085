// The refund calculator, pure: from what a payment paid and what became of the credits it granted,
// the refund Creditdesk proposes and the credits that go back with it.
//
//   nothing used or expired  -> the full amount, minus what was already refunded
//   otherwise                -> floor(amount x (remaining + credits earlier refunds took back) / granted)
//                               minus what was already refunded
//   never below 0, never above the charge's refundable balance (amount - already refunded)
//
// Credits earlier refunds took back count as "paid back", not "used": after a half refund that
// took half the credits, the other half is still worth the other half of the money.
// The credits a refund takes back follow the one refund rule (refund-clawback-credits.ts), the
// same for refunds made here and in Stripe: min(remaining, ceil(refund x granted / paid)).
// Frozen credits (an open dispute on the payment) cannot be refunded: the dispute decides.
// Integer arithmetic throughout (BigInt for the product), rounded down to the minor unit, so a
// refund never pays out more than the unused share.
import { formatCredits, formatMoney } from '../../contracts/money.ts';
import { refundClawbackCredits } from '../billing/refund-clawback-credits.ts';

export interface RefundFigures {
  currency: string;
  /** Money the payment took, integer minor units. */
  amountPaid: number;
  /** Credits the payment granted (its lot); 0 when it granted none. */
  granted: number;
  /** Consumed by usage and manual removals (net of reversals). */
  used: number;
  /** Written off by expiry, or past their expiry date and about to be. */
  expired: number;
  /** Still in the lot but frozen by a dispute. Part of `remaining`. */
  frozen: number;
  /** Taken back by earlier refunds (net of restores). */
  refundedCredits: number;
  /** Taken back by a lost dispute. */
  disputed: number;
  /** Still in the lot and not expired (frozen included). */
  remaining: number;
  /** Money already refunded or on its way back (pending and succeeded refunds, or Stripe's figure). */
  alreadyRefunded: number;
  /** Status of a dispute on the charge that still stands (open or lost); null when none does. */
  disputeStatus: string | null;
}

export type RefundRule = 'full' | 'proportional' | 'no_credits';

export interface RefundCalculation extends RefundFigures {
  /** What the charge can still give back: amountPaid - alreadyRefunded. */
  refundable: number;
  /** The most finance may refund; 0 when nothing is left. */
  proposal: number;
  /** Credits the proposal takes back. */
  creditsToClawBack: number;
  rule: RefundRule;
  /** The formula with its numbers, in words. */
  formula: string;
  /** Why no refund can be made now, in words; null when one can. */
  blockedReason: string | null;
  /** Changes whenever any figure changes: a confirm carries the one it was shown. */
  fingerprint: string;
}

function refundFingerprint(f: RefundFigures): string {
  return [
    'v1',
    f.currency,
    f.amountPaid,
    f.granted,
    f.used,
    f.expired,
    f.frozen,
    f.refundedCredits,
    f.disputed,
    f.remaining,
    f.alreadyRefunded,
    f.disputeStatus ?? '-',
  ].join(':');
}

function mulDiv(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

export function calculateRefund(f: RefundFigures): RefundCalculation {
  const refundable = Math.max(0, f.amountPaid - f.alreadyRefunded);
  const money = (m: number) => formatMoney(m, f.currency);
  const already = `${money(f.alreadyRefunded)} already refunded`;
  let rule: RefundRule;
  let proposal: number;
  let formula: string;

  if (f.granted <= 0) {
    rule = 'no_credits';
    proposal = refundable;
    formula = `No credits were granted by this payment: ${money(f.amountPaid)} − ${already} = ${money(proposal)}`;
  } else if (f.used === 0 && f.expired === 0 && f.disputed === 0) {
    rule = 'full';
    proposal = refundable;
    formula = `Nothing used: full amount ${money(f.amountPaid)} − ${already} = ${money(proposal)}`;
  } else {
    rule = 'proportional';
    const unusedShare = f.remaining + f.refundedCredits;
    const value = mulDiv(f.amountPaid, unusedShare, f.granted);
    proposal = Math.min(refundable, Math.max(0, value - f.alreadyRefunded));
    const share =
      f.refundedCredits > 0
        ? `(${formatCredits(f.remaining)} remaining + ${formatCredits(f.refundedCredits)} taken back by earlier refunds)`
        : `${formatCredits(f.remaining)} remaining`;
    formula =
      `${money(f.amountPaid)} × ${share} / ${formatCredits(f.granted)} granted = ${money(value)}, ` +
      `− ${already} = ${money(proposal)}` +
      (value - f.alreadyRefunded < 0 ? ' (nothing below zero)' : '');
  }

  let blockedReason: string | null = null;
  if (f.disputeStatus === 'lost') {
    blockedReason = 'The bank took this money back through a lost dispute: there is nothing left to refund.';
  } else if (f.frozen > 0 || f.disputeStatus) {
    blockedReason =
      f.frozen > 0
        ? `${formatCredits(f.frozen)} credits of this payment are frozen by an open dispute: the dispute decides what happens to them, so no refund can be made now.`
        : 'A dispute is open on this charge: Stripe refuses refunds until the bank decides.';
  } else if (refundable <= 0) {
    blockedReason = 'This payment has been refunded in full already.';
  } else if (proposal <= 0) {
    blockedReason =
      'Nothing is left to refund: the credits this payment bought were used, expired or already refunded.';
  }

  const calc: RefundCalculation = {
    ...f,
    refundable,
    proposal,
    creditsToClawBack: 0,
    rule,
    formula,
    blockedReason,
    fingerprint: refundFingerprint(f),
  };
  calc.creditsToClawBack = clawbackCreditsFor(calc, proposal);
  return calc;
}

/**
 * Credits that go back with a refund of `amount` (at most the proposal): the refund rule shared with
 * refunds made in Stripe (refund-clawback-credits.ts), min(remaining, ceil(amount x granted / paid)).
 */
export function clawbackCreditsFor(
  calc: Pick<RefundCalculation, 'remaining' | 'proposal' | 'amountPaid' | 'granted'>,
  amount: number,
): number {
  if (calc.proposal <= 0) return 0;
  return refundClawbackCredits({
    refundAmount: Math.min(amount, calc.proposal),
    paidAmount: calc.amountPaid,
    grantedCredits: calc.granted,
    remainingCredits: calc.remaining,
  });
}

/**
 * How a request for `amount` becomes the credits it takes back, with its own numbers (not the
 * proposal's): what finance approves is this request, which may be less than the most that could
 * be refunded. "€3.00 of €10.00 paid × 1,000 granted = 300 credits (rounded up) → 300 taken back".
 */
export function clawbackFormulaFor(
  calc: Pick<RefundCalculation, 'remaining' | 'proposal' | 'amountPaid' | 'granted' | 'currency'>,
  amount: number,
): string {
  const money = (m: number) => formatMoney(m, calc.currency);
  const back = clawbackCreditsFor(calc, amount);
  if (calc.granted <= 0) return `${money(amount)} requested; this payment granted no credits, so none are taken back`;
  const counted = Math.min(amount, calc.proposal);
  const paidFor = refundClawbackCredits({
    refundAmount: counted,
    paidAmount: calc.amountPaid,
    grantedCredits: calc.granted,
    remainingCredits: Number.MAX_SAFE_INTEGER,
  });
  return (
    `${money(amount)} requested` +
    (counted < amount ? ` (at most ${money(counted)} can be refunded now)` : '') +
    `: ${money(counted)} of ${money(calc.amountPaid)} paid × ${formatCredits(calc.granted)} granted = ` +
    `${formatCredits(paidFor)} credits (rounded up)` +
    (paidFor > calc.remaining ? `, but only ${formatCredits(calc.remaining)} remain` : '') +
    ` → ${formatCredits(back)} credits taken back`
  );
}
