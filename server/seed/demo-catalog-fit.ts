// The demo customers and Stripe history are written for the default catalog (its plans, packs,
// features and what each plan includes). When an operator imported their own catalog first, the
// demo would buy plans that do not exist or use features nobody is entitled to: those steps are
// skipped with the reason in the log instead.
import { readFileSync } from 'node:fs';
import type { CatalogJson } from '../contracts/catalog.ts';
import type { Deps } from '../deps.ts';
import { exportCatalog } from '../modules/catalog/get-catalog.ts';
import { DEFAULT_CATALOG_PATH } from './demo-customers.ts';

/** Why the current catalog cannot carry the demo data, or null when it can. */
export async function demoCatalogMisfit(deps: Pick<Deps, 'prisma'>): Promise<string | null> {
  const demo = JSON.parse(readFileSync(DEFAULT_CATALOG_PATH, 'utf8')) as Required<CatalogJson>;
  const current = await exportCatalog(deps.prisma);
  const missing: string[] = [];
  const features = new Set(current.features.map((f) => f.key));
  for (const f of demo.features) if (!features.has(f.key)) missing.push(`feature ${f.key}`);
  const plans = new Map(current.plans.map((p) => [p.key, p]));
  for (const p of demo.plans) {
    const plan = plans.get(p.key);
    if (!plan) missing.push(`plan ${p.key}`);
    else {
      for (const feature of Object.keys(p.entitlements)) {
        if (!(feature in plan.entitlements)) missing.push(`${feature} on plan ${p.key}`);
      }
      if (!!p.default !== !!plan.default) missing.push(`plan ${p.key} as ${p.default ? '' : 'not '}the default`);
    }
  }
  const packs = new Set(current.creditPacks.map((p) => p.key));
  for (const p of demo.creditPacks) if (!packs.has(p.key)) missing.push(`credit pack ${p.key}`);
  if (!missing.length) return null;
  const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
  return `the catalog is not the demo catalog (it lacks ${shown}): demo data would not fit`;
}
