// "May this customer do X now?" for the product's backend. Three distinct refusals, in the order
// a support agent would explain them: blocked, not entitled (plan), not enough credits.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { isEntitled, resolveEntitlements } from './resolve-entitlements.ts';

export type AccessDecision =
  { allowed: true } | { allowed: false; reason: 'blocked' | 'not_entitled' | 'insufficient_credits' };

/** Credits a draw could take now: unfrozen lots that have not expired. */
export async function spendableCredits(tx: DbOrTx, customerId: string, now: Date = new Date()): Promise<number> {
  const sum = await tx.creditLot.aggregate({
    where: { customerId, remaining: { gt: 0 }, frozen: false, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    _sum: { remaining: true },
  });
  return sum._sum.remaining ?? 0;
}

export async function checkAccess(
  tx: DbOrTx,
  input: { customer: Customer; feature: string; credits?: number; now?: Date },
): Promise<AccessDecision> {
  const resolved = await resolveEntitlements(tx, input.customer, { now: input.now });
  const entitlement = resolved.features[input.feature];
  if (!entitlement) throw new AppError('NOT_FOUND', `Unknown feature "${input.feature}"`);
  if (resolved.blocked) return { allowed: false, reason: 'blocked' };
  if (!isEntitled(entitlement.value)) return { allowed: false, reason: 'not_entitled' };
  const cost = input.credits ?? entitlement.creditCost ?? 0;
  if (cost > 0 && (await spendableCredits(tx, input.customer.id, input.now)) < cost) {
    return { allowed: false, reason: 'insufficient_credits' };
  }
  return { allowed: true };
}
