// The part of the catalog the service API reads on every call (features and plans), loaded in
// one go. The service API keeps it in memory while the change feed is live (server/db/change-feed.ts);
// any catalog write in any process clears it.
import type { DbOrTx } from '../../db/tx.ts';
import type { Feature, Plan } from '../../generated/prisma/client.ts';

export interface CatalogSnapshot {
  features: Map<string, Feature>;
  plans: Map<string, Plan>;
  /** The plan customers have without a paid subscription; null only before any catalog import. */
  defaultPlan: Plan | null;
}

export async function loadCatalogSnapshot(db: DbOrTx): Promise<CatalogSnapshot> {
  const [features, plans] = await Promise.all([
    db.feature.findMany({ orderBy: { key: 'asc' } }),
    db.plan.findMany({ orderBy: { position: 'asc' } }),
  ]);
  return {
    features: new Map(features.map((f) => [f.key, f])),
    plans: new Map(plans.map((p) => [p.key, p])),
    defaultPlan: plans.find((p) => p.isDefault) ?? null,
  };
}

/** The customer's plan: their own key, or the default plan when they have none. */
export function planOf(catalog: CatalogSnapshot, planKey: string | null): Plan | null {
  return planKey ? (catalog.plans.get(planKey) ?? null) : catalog.defaultPlan;
}
