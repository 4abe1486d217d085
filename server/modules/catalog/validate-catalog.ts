// Checks a catalog file completely before anything is written, and lists every problem with its
// path: malformed fields (zod), then what only the whole catalog can tell (unknown features,
// duplicate keys and price ids, exactly one default plan, values that do not fit their feature).
import { catalogJson, type CatalogJson, type CatalogProblem } from '../../contracts/catalog.ts';
import { zodProblems } from '../../lib/zod-problems.ts';

export type CatalogValidation = { ok: true; catalog: CatalogJson } | { ok: false; problems: CatalogProblem[] };

export function validateCatalog(input: unknown): CatalogValidation {
  const parsed = catalogJson.safeParse(input);
  if (!parsed.success) return { ok: false, problems: zodProblems(parsed.error) };
  const catalog = parsed.data;
  const problems: CatalogProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const duplicates = (items: Array<{ key: string }>, list: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.key);
      if (first !== undefined) add(`${list}[${i}].key`, `duplicate key "${item.key}" (also ${list}[${first}])`);
      else seen.set(item.key, i);
    });
  };
  duplicates(catalog.features, 'features');
  duplicates(catalog.plans, 'plans');
  duplicates(catalog.creditPacks, 'creditPacks');

  const features = new Map(catalog.features.map((f) => [f.key, f]));
  catalog.plans.forEach((plan, i) => {
    for (const [key, value] of Object.entries(plan.entitlements)) {
      const path = `plans[${i}].entitlements.${key}`;
      const feature = features.get(key);
      if (!feature) add(path, `unknown feature "${key}" (not in features)`);
      else if ((feature.type ?? 'boolean') === 'boolean' && value !== true) {
        add(path, `"${key}" is an on/off feature: use true`);
      }
    }
  });

  const defaults = catalog.plans.flatMap((p, i) => (p.default ? [i] : []));
  if (catalog.plans.length === 0) add('plans', 'at least one plan is required (the default, free plan)');
  else if (defaults.length === 0) add('plans', 'one plan must be marked "default": true');
  else if (defaults.length > 1) {
    for (const i of defaults.slice(1)) add(`plans[${i}].default`, 'only one plan can be the default');
  }
  defaults.forEach((i) => {
    if ((catalog.plans[i]?.stripePriceIds.length ?? 0) > 0) {
      add(`plans[${i}].stripePriceIds`, 'the default plan is what customers have without paying: it has no price');
    }
  });

  const prices = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const other = prices.get(id);
    if (other) add(path, `duplicate Stripe price id "${id}" (also ${other})`);
    else prices.set(id, path);
  };
  catalog.plans.forEach((p, i) => p.stripePriceIds.forEach((id, j) => claim(id, `plans[${i}].stripePriceIds[${j}]`)));
  catalog.creditPacks.forEach((p, i) =>
    p.stripePriceIds.forEach((id, j) => claim(id, `creditPacks[${i}].stripePriceIds[${j}]`)),
  );
  catalog.creditPacks.forEach((p, i) => {
    if (p.stripePriceIds.length === 0) add(`creditPacks[${i}].stripePriceIds`, 'a pack needs at least one price');
  });

  return problems.length ? { ok: false, problems } : { ok: true, catalog };
}
