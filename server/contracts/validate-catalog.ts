// Checks a catalog file completely before anything is written, and lists every problem with its
// path: malformed fields (zod, from the shared contract) and what only the whole catalog can tell
// (unknown features, duplicate keys and price ids, exactly one default plan, values that do not
// fit their feature). The cross checks read the raw input defensively, so a file with a negative
// number and an unknown feature gets both reported at once.
import { catalogJson, type CatalogJson, type CatalogProblem } from './catalog.ts';
import { zodProblems } from './zod-problems.ts';

export type CatalogValidation = { ok: true; catalog: CatalogJson } | { ok: false; problems: CatalogProblem[] };

type Loose = Record<string, unknown>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const record = (v: unknown): Loose => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function validateCatalog(input: unknown): CatalogValidation {
  const parsed = catalogJson.safeParse(input);
  const problems: CatalogProblem[] = parsed.success ? [] : zodProblems(parsed.error);
  const seen = new Set(problems.map((p) => `${p.path}\n${p.message}`));
  const add = (path: string, message: string) => {
    if (seen.has(`${path}\n${message}`)) return;
    seen.add(`${path}\n${message}`);
    problems.push({ path, message });
  };

  const root = record(input);
  const features = list(root.features).map(record);
  const plans = list(root.plans).map(record);
  const packs = list(root.creditPacks).map(record);

  const duplicates = (items: Loose[], name: string) => {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const key = text(item.key);
      if (key === null) return;
      const at = first.get(key);
      if (at !== undefined) add(`${name}[${i}].key`, `duplicate key "${key}" (also ${name}[${at}])`);
      else first.set(key, i);
    });
  };
  duplicates(features, 'features');
  duplicates(plans, 'plans');
  duplicates(packs, 'creditPacks');

  const featureTypes = new Map(
    features.flatMap((f) => (text(f.key) ? [[text(f.key)!, text(f.type) ?? 'boolean']] : [])),
  );
  plans.forEach((plan, i) => {
    for (const [key, value] of Object.entries(record(plan.entitlements))) {
      const path = `plans[${i}].entitlements.${key}`;
      const type = featureTypes.get(key);
      if (type === undefined) add(path, `unknown feature "${key}" (not in features)`);
      else if (type === 'boolean' && value !== true) add(path, `"${key}" is an on/off feature: use true`);
    }
    const topupPack = text(record(plan.autoTopup).pack);
    if (topupPack && !packs.some((p) => text(p.key) === topupPack)) {
      add(`plans[${i}].autoTopup.pack`, `unknown credit pack "${topupPack}" (not in creditPacks)`);
    }
  });

  const defaults = plans.flatMap((p, i) => (p.default === true ? [i] : []));
  if (Array.isArray(root.plans)) {
    if (plans.length === 0) add('plans', 'at least one plan is required (the default, free plan)');
    else if (defaults.length === 0) add('plans', 'one plan must be marked "default": true');
  }
  for (const i of defaults.slice(1)) add(`plans[${i}].default`, 'only one plan can be the default');
  for (const i of defaults) {
    if (list(plans[i]?.stripePriceIds).length > 0) {
      add(`plans[${i}].stripePriceIds`, 'the default plan is what customers have without paying: it has no price');
    }
  }

  const owners = new Map<string, string>();
  const claim = (items: Loose[], name: string) =>
    items.forEach((item, i) =>
      list(item.stripePriceIds).forEach((id, j) => {
        if (typeof id !== 'string') return;
        const path = `${name}[${i}].stripePriceIds[${j}]`;
        const other = owners.get(id);
        if (other) add(path, `duplicate Stripe price id "${id}" (also ${other})`);
        else owners.set(id, path);
      }),
    );
  claim(plans, 'plans');
  claim(packs, 'creditPacks');
  packs.forEach((p, i) => {
    if (Array.isArray(p.stripePriceIds) && p.stripePriceIds.length === 0) {
      add(`creditPacks[${i}].stripePriceIds`, 'a pack needs at least one price');
    }
  });

  if (problems.length || !parsed.success) return { ok: false, problems };
  return { ok: true, catalog: parsed.data };
}
