// Maker-checker: a refund above the catalog's threshold waits for a second finance user or an
// admin. The threshold is in one currency and Creditdesk converts nothing, so a refund in any
// other currency always waits (the safe side).
import type { Rules } from '../catalog/get-rules.ts';

export function needsApproval(
  rules: Pick<Rules, 'refundApprovalAbove' | 'refundApprovalCurrency'>,
  amount: number,
  currency: string,
): boolean {
  if (currency.toLowerCase() !== rules.refundApprovalCurrency.toLowerCase()) return true;
  return amount > rules.refundApprovalAbove;
}
