// The whole catalog: rows for the admin screens, and the JSON file format for export.
import type { CatalogJson } from '../../contracts/catalog.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { rowsToCatalog, rulesToJson } from './catalog-shape.ts';
import { getRules } from './get-rules.ts';

export async function getCatalog(tx: DbOrTx) {
  const [features, plans, packs, rules] = await Promise.all([
    tx.feature.findMany({ orderBy: { key: 'asc' } }),
    tx.plan.findMany({ orderBy: [{ position: 'asc' }, { key: 'asc' }], include: { prices: true } }),
    tx.creditPack.findMany({ orderBy: [{ position: 'asc' }, { key: 'asc' }], include: { prices: true } }),
    getRules(tx),
  ]);
  return { features, plans, packs, rules };
}

/** The catalog in its JSON file format; importing it back changes nothing. */
export async function exportCatalog(tx: DbOrTx): Promise<Required<CatalogJson>> {
  const { features, plans, packs, rules } = await getCatalog(tx);
  return rowsToCatalog({ features, plans, packs, rules: rulesToJson(rules) });
}
