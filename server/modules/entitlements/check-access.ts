// "May this customer do X now?" for the product's backend. Three distinct refusals, in the order
// a support agent would explain them: blocked, not entitled (plan), not enough credits.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { loadCatalogSnapshot, type CatalogSnapshot } from '../catalog/catalog-snapshot.ts';
import { entitlementFromFacts, loadCustomerFeatureFacts } from './customer-feature-facts.ts';
import { isEntitled, resolveEntitlements, type ResolvedEntitlement } from './resolve-entitlements.ts';

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
  return decide(resolved.features[input.feature], resolved.blocked, input, () =>
    spendableCredits(tx, input.customer.id, input.now),
  );
}

/**
 * The same decision for the service API, by the product's user id: one statement (customer,
 * overrides of the feature, spendable credits) and the catalog from `catalog` (memory).
 */
export async function checkAccessByExternalId(
  db: DbOrTx,
  input: { externalId: string; feature: string; credits?: number; now?: Date },
  catalog: () => Promise<CatalogSnapshot> = () => loadCatalogSnapshot(db),
): Promise<AccessDecision> {
  const now = input.now ?? new Date();
  const [facts, snapshot] = await Promise.all([
    loadCustomerFeatureFacts(db, { externalId: input.externalId, feature: input.feature, now, spendable: true }),
    catalog(),
  ]);
  const customer = facts.customer;
  if (!customer) throw new AppError('NOT_FOUND', `No customer with externalId "${input.externalId}"`);
  const resolved = entitlementFromFacts(snapshot, customer, input.feature);
  return decide(resolved?.entitlement, customer.status === 'blocked', input, async () => customer.spendable ?? 0);
}

async function decide(
  entitlement: ResolvedEntitlement | undefined,
  blocked: boolean,
  input: { feature: string; credits?: number },
  spendable: () => Promise<number>,
): Promise<AccessDecision> {
  if (!entitlement) throw new AppError('NOT_FOUND', `Unknown feature "${input.feature}"`);
  if (blocked) return { allowed: false, reason: 'blocked' };
  if (!isEntitled(entitlement.value)) return { allowed: false, reason: 'not_entitled' };
  const cost = input.credits ?? entitlement.creditCost ?? 0;
  if (cost > 0 && (await spendable()) < cost) return { allowed: false, reason: 'insufficient_credits' };
  return { allowed: true };
}
