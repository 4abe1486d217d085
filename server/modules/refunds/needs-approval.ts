// Maker-checker: a refund waits for a second finance user or an admin when the total refunded on
// its payment would pass the catalog's threshold: what was refunded already (or is on its way to
// Stripe) plus this request. Judging each request alone let EUR 149 go out as 99.99 + 49.01 with
// no approver. The threshold is in one currency and Creditdesk converts nothing, so a refund in
// any other currency always waits (the safe side).
import type { Rules } from '../catalog/get-rules.ts';

export function needsApproval(
  rules: Pick<Rules, 'refundApprovalAbove' | 'refundApprovalCurrency'>,
  refund: { amount: number; currency: string; alreadyRefunded: number },
): boolean {
  if (refund.currency.toLowerCase() !== rules.refundApprovalCurrency.toLowerCase()) return true;
  return refund.alreadyRefunded + refund.amount > rules.refundApprovalAbove;
}
