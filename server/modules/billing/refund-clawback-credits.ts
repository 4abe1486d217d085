// The refund rule, the one home for it: a refund takes back the credits it pays for,
//
//   min(remaining, ceil(refund x granted / paid))
//
// whatever started the refund (the calculator in Creditdesk, Stripe's dashboard, the API), so a
// refund made here and the same refund made in Stripe take back exactly the same credits.
// EUR 6.00 back on a EUR 10.00 pack of 1,000 credits pays for 600 credits: all 600 go back if
// the customer still holds them, whatever they used. Rounded up (a refund never leaves a fraction
// of a credit it paid for with the customer) and never more than the lot still holds. Integer
// arithmetic (BigInt for the product).
export interface RefundCreditsInput {
  /** Money this refund gives back, minor units. */
  refundAmount: number;
  /** Money the payment took, minor units. */
  paidAmount: number;
  /** Credits the payment granted (its lot's `granted`). */
  grantedCredits: number;
  /** Credits still in the payment's lot. */
  remainingCredits: number;
}

export function refundClawbackCredits(input: RefundCreditsInput): number {
  const { refundAmount, paidAmount, grantedCredits, remainingCredits } = input;
  if (refundAmount <= 0 || paidAmount <= 0 || grantedCredits <= 0 || remainingCredits <= 0) return 0;
  const product = BigInt(refundAmount) * BigInt(grantedCredits);
  const paid = BigInt(paidAmount);
  const paidFor = (product + paid - 1n) / paid;
  return paidFor >= BigInt(remainingCredits) ? remainingCredits : Number(paidFor);
}
