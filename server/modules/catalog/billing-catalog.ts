// What the Stripe event pipeline reads of the catalog on nearly every event (which plan or pack a
// price sells, the plans, the packs, the default plan, the features, the business rules), kept in memory while the change feed is
// live (server/db/change-feed.ts: any catalog write in any process clears it within a second).
//
// The lookups below (findPriceMapping, getPlan, getPack, getDefaultPlan, getRules) answer from the snapshot
// bound to the transaction they are given; the pipeline binds one to each transaction it opens
// (process-event.ts), every other caller reads the database as before. Only hits are answered
// from memory: a price, plan or pack the snapshot does not know is read from the database, so a
// price mapped a moment ago is never refused because a notice is still on its way.
import { cached, type ChangeFeed } from '../../db/change-feed.ts';
import type { Db } from '../../db/client.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { CatalogRules, CreditPack, Feature, Plan } from '../../generated/prisma/client.ts';

export interface BillingCatalog {
  plans: Map<string, Plan>;
  packs: Map<string, CreditPack>;
  /** Stripe price id -> what it sells. */
  prices: Map<string, { planKey: string | null; packKey: string | null }>;
  defaultPlan: Plan | null;
  /** Every feature, by key (what resolveEntitlements reads). */
  features: Feature[];
  /** The rules row (grace period, auto-block...); null before an import wrote it. */
  rules: CatalogRules | null;
}

async function loadBillingCatalog(db: Db): Promise<BillingCatalog> {
  const [plans, packs, prices, features, rules] = await Promise.all([
    db.plan.findMany(),
    db.creditPack.findMany(),
    db.catalogPrice.findMany({ select: { stripePriceId: true, planKey: true, packKey: true } }),
    db.feature.findMany({ orderBy: { key: 'asc' } }),
    db.catalogRules.findUnique({ where: { id: 1 } }),
  ]);
  return {
    plans: new Map(plans.map((p) => [p.key, p])),
    packs: new Map(packs.map((p) => [p.key, p])),
    prices: new Map(prices.map((p) => [p.stripePriceId, { planKey: p.planKey, packKey: p.packKey }])),
    defaultPlan: plans.find((p) => p.isDefault) ?? null,
    features,
    rules,
  };
}

/** The process's copy, or null while the feed is not live (then nothing is bound: database reads). */
export type BillingCatalogSource = () => Promise<BillingCatalog | null>;

export function billingCatalogSource(db: Db, feed: ChangeFeed | null): BillingCatalogSource {
  if (!feed) return async () => null;
  const get = cached(feed, 'catalog', () => loadBillingCatalog(db));
  return async () => (feed.isLive() ? get() : null);
}

const bound = new WeakMap<object, BillingCatalog>();

/** Lets lookups made with `tx` answer from `catalog` (the pipeline, for the transaction it opened). */
export function bindBillingCatalog(tx: DbOrTx, catalog: BillingCatalog | null): void {
  if (catalog) bound.set(tx, catalog);
}

/** The snapshot bound to `tx`, if any. */
export function boundBillingCatalog(tx: DbOrTx): BillingCatalog | null {
  return bound.get(tx) ?? null;
}
