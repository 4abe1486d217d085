// Plan lookups for billing (which plan a subscription buys) and entitlements.
import type { DbOrTx } from '../../db/tx.ts';
import type { Plan } from '../../generated/prisma/client.ts';

export function getPlan(tx: DbOrTx, key: string): Promise<Plan | null> {
  return tx.plan.findUnique({ where: { key } });
}

/** The plan customers have without a paid subscription; null only before any catalog import. */
export function getDefaultPlan(tx: DbOrTx): Promise<Plan | null> {
  return tx.plan.findFirst({ where: { isDefault: true } });
}
