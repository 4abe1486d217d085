// The business rules singleton (grace period, auto-block, refund approval...).
import type { DbOrTx } from '../../db/tx.ts';
import type { CatalogRules } from '../../generated/prisma/client.ts';
import { boundBillingCatalog } from './billing-catalog.ts';

export type Rules = Omit<CatalogRules, 'updatedAt'> & { updatedAt: Date | null };

/** The rules row, or the schema's defaults before any import has written it. From the event
 * pipeline's in-memory catalog when one is bound to `tx` and holds the row (billing-catalog.ts). */
export async function getRules(tx: DbOrTx): Promise<Rules> {
  const rules = boundBillingCatalog(tx)?.rules ?? (await tx.catalogRules.findUnique({ where: { id: 1 } }));
  return (
    rules ?? {
      id: 1,
      gracePeriodDays: 3,
      autoBlockDisputes: 3,
      autoBlockWindowDays: 180,
      refundApprovalAbove: 10000,
      refundApprovalCurrency: 'eur',
      manualGrantFinanceAbove: 1000,
      manualGrantWindowHours: 24,
      refundPolicy: '',
      cancellationPolicy: '',
      productDescription: '',
      radarBlockList: false,
      upgradeCredits: true,
      updatedAt: null,
    }
  );
}
