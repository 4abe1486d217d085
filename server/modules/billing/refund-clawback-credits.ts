// How many of a purchase's unused credits a refund takes back: the refund's share of the money not
// yet refunded, applied to the credits not yet used. A refund of everything that is left takes all
// remaining credits; two half refunds take half, then the rest. Integer arithmetic (BigInt), rounded
// down, so the customer is never charged a credit more than their refunded share.
export function refundClawbackCredits(input: {
  remainingCredits: number;
  refundAmount: number;
  paidAmount: number;
  alreadyRefunded: number;
}): number {
  const { remainingCredits, refundAmount, paidAmount, alreadyRefunded } = input;
  const unrefunded = paidAmount - alreadyRefunded;
  if (remainingCredits <= 0 || refundAmount <= 0 || unrefunded <= 0) return 0;
  if (refundAmount >= unrefunded) return remainingCredits;
  return Number((BigInt(remainingCredits) * BigInt(refundAmount)) / BigInt(unrefunded));
}
