// Every plan's and pack's name by key, for texts and pages that name what a customer bought or is
// on (contracts/catalog-names.ts words them). The catalog is tens of rows: one read of all of it.
import type { CatalogNames } from '../../contracts/catalog-names.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { getPlan } from './get-plan.ts';

export async function loadCatalogNames(db: DbOrTx): Promise<CatalogNames> {
  const [plans, packs] = await Promise.all([
    db.plan.findMany({ select: { key: true, name: true } }),
    db.creditPack.findMany({ select: { key: true, name: true } }),
  ]);
  return {
    plans: Object.fromEntries(plans.map((p) => [p.key, p.name])),
    packs: Object.fromEntries(packs.map((p) => [p.key, p.name])),
  };
}

/** One plan's name for a summary (the key when the catalog no longer has it; null for none). */
export async function loadPlanName(db: DbOrTx, key: string | null): Promise<string | null> {
  if (!key) return null;
  // getPlan: from the event pipeline's in-memory catalog when one is bound (billing-catalog.ts).
  return (await getPlan(db, key))?.name ?? key;
}
