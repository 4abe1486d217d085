// Plan lookups for billing (which plan a subscription buys) and entitlements.
import type { DbOrTx } from '../../db/tx.ts';
import type { Plan } from '../../generated/prisma/client.ts';
import { boundBillingCatalog } from './billing-catalog.ts';

// Both answer from the pipeline's in-memory catalog when one is bound to `tx` and knows the plan
// (billing-catalog.ts), otherwise from the database.
export async function getPlan(tx: DbOrTx, key: string): Promise<Plan | null> {
  return boundBillingCatalog(tx)?.plans.get(key) ?? tx.plan.findUnique({ where: { key } });
}

/** The plan customers have without a paid subscription; null only before any catalog import. */
export async function getDefaultPlan(tx: DbOrTx): Promise<Plan | null> {
  return boundBillingCatalog(tx)?.defaultPlan ?? tx.plan.findFirst({ where: { isDefault: true } });
}
