// Replaces the catalog with the one in a JSON file. Everything is validated first and every
// problem listed; then the change is written in one transaction, or not at all. The file is the
// desired state: items it no longer lists are removed (except a plan customers are still on).
// Importing what is already there writes nothing, so the import is idempotent. Audited. Customers
// whose entitlements the change moves get an entitlement event each (and so entitlements.changed).
import type { CatalogJson, CatalogProblem } from '../../contracts/catalog.ts';
import { inTransaction, type DbOrTx, type Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { canonicalJson } from '../../lib/json.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { recordCatalogEntitlementChanges } from '../entitlements/record-catalog-entitlement-changes.ts';
import { canonicalCatalog, rowsToCatalog, rulesToJson } from './catalog-shape.ts';
import { getCatalog } from './get-catalog.ts';
import { validateCatalog } from '../../contracts/validate-catalog.ts';

export interface CatalogDiff {
  added: string[];
  updated: string[];
  removed: string[];
}

export interface CatalogImportResult {
  changed: boolean;
  features: CatalogDiff;
  plans: CatalogDiff;
  creditPacks: CatalogDiff;
  rules: boolean;
}

function catalogProblemsError(problems: CatalogProblem[]): AppError {
  const shown = problems
    .slice(0, 3)
    .map((p) => `${p.path || 'catalog'}: ${p.message}`)
    .join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return new AppError(
    'VALIDATION',
    `The catalog has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown}${more}`,
    { problems },
  );
}

/** Which items (by key) a new catalog adds, changes and drops. */
export function diff<T extends { key: string }>(before: T[], after: T[]): CatalogDiff {
  const old = new Map(before.map((x) => [x.key, canonicalJson(x)]));
  const next = new Set(after.map((x) => x.key));
  return {
    added: after.filter((x) => !old.has(x.key)).map((x) => x.key),
    updated: after.filter((x) => old.has(x.key) && old.get(x.key) !== canonicalJson(x)).map((x) => x.key),
    removed: before.filter((x) => !next.has(x.key)).map((x) => x.key),
  };
}

export interface ImportCatalogOptions {
  /** Audit action: "catalog.import" (file), "catalog.save" (edited in the UI), "catalog.restore"... */
  action?: string;
  /** Why, in the admin's words; the audit reason also lists what changed. */
  reason?: string | null;
}

export async function importCatalog(
  db: DbOrTx,
  input: unknown,
  actor: Actor,
  options: ImportCatalogOptions = {},
): Promise<CatalogImportResult> {
  const validation = validateCatalog(input);
  if (!validation.ok) throw catalogProblemsError(validation.problems);

  return inTransaction(db, async (tx) => {
    // Two imports at once would interleave their deletes and upserts: one at a time.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('creditdesk:catalog-import'))`;
    const rows = await getCatalog(tx);
    const currentRules = rulesToJson(rows.rules);
    const before = rowsToCatalog({ ...rows, rules: currentRules });
    const after = canonicalCatalog(validation.catalog, currentRules);
    const result: CatalogImportResult = {
      changed: false,
      features: diff(before.features, after.features),
      plans: diff(before.plans, after.plans),
      creditPacks: diff(before.creditPacks, after.creditPacks),
      // Also true before the rules row first exists, so the import writes it.
      rules: rows.rules.updatedAt === null || canonicalJson(before.rules) !== canonicalJson(after.rules),
    };
    // Plan order is part of the catalog (position), so compare the whole documents.
    if (!result.rules && canonicalJson(before) === canonicalJson(after)) return result;
    result.changed = true;

    await refuseRemovingPlansInUse(tx, result.plans.removed);
    await writeCatalog(tx, after, result);
    const reason = options.reason ? `${options.reason} (${summarize(result)})` : summarize(result);
    const version = await recordAudit(tx, {
      actor,
      action: options.action ?? 'catalog.import',
      targetType: 'catalog',
      before,
      after,
      reason,
    });
    // The reference is the catalog version (its audit record), as the version history names it.
    await recordCatalogEntitlementChanges(tx, rows, {
      reason: `Catalog changed: ${reason}`,
      reference: String(version.id),
    });
    return result;
  });
}

async function refuseRemovingPlansInUse(tx: Tx, removed: string[]): Promise<void> {
  if (removed.length === 0) return;
  const inUse = await tx.customer.groupBy({
    by: ['planKey'],
    where: { planKey: { in: removed } },
    _count: { _all: true },
  });
  if (inUse.length === 0) return;
  throw catalogProblemsError(
    inUse.map((row) => ({
      path: 'plans',
      message: `plan "${row.planKey}" is missing from the file but ${row._count._all} customer(s) are on it; keep it in the catalog`,
    })),
  );
}

async function writeCatalog(tx: Tx, catalog: Required<CatalogJson>, changes: CatalogImportResult): Promise<void> {
  const priceIds = [...catalog.plans, ...catalog.creditPacks].flatMap((x) => x.stripePriceIds);
  await tx.catalogPrice.deleteMany({ where: { stripePriceId: { notIn: priceIds } } });
  await tx.plan.deleteMany({ where: { key: { in: changes.plans.removed } } });
  await tx.creditPack.deleteMany({ where: { key: { in: changes.creditPacks.removed } } });
  await tx.feature.deleteMany({ where: { key: { in: changes.features.removed } } });

  const touched = (d: CatalogDiff) => new Set([...d.added, ...d.updated]);
  const features = touched(changes.features);
  for (const f of catalog.features.filter((x) => features.has(x.key))) {
    const data = { name: f.name, type: f.type ?? 'boolean', creditCost: f.creditCost ?? null };
    await tx.feature.upsert({ where: { key: f.key }, create: { key: f.key, ...data }, update: data });
  }
  // Positions are rewritten for every plan and pack: order is part of the file.
  for (const [position, p] of catalog.plans.entries()) {
    const data = {
      name: p.name,
      isDefault: p.default ?? false,
      monthlyCredits: p.monthlyCredits,
      rollover: p.rollover ?? false,
      entitlements: p.entitlements,
      position,
      lowBalanceThreshold: p.lowBalanceThreshold ?? null,
      autoTopupThreshold: p.autoTopup?.threshold ?? null,
      autoTopupPackKey: p.autoTopup?.pack ?? null,
      autoTopupMonthlyCap: p.autoTopup?.monthlyCap ?? null,
    };
    await tx.plan.upsert({ where: { key: p.key }, create: { key: p.key, ...data }, update: data });
  }
  for (const [position, p] of catalog.creditPacks.entries()) {
    const data = { name: p.name, credits: p.credits, expiresAfterDays: p.expiresAfterDays ?? null, position };
    await tx.creditPack.upsert({ where: { key: p.key }, create: { key: p.key, ...data }, update: data });
  }
  const owners = [
    ...catalog.plans.flatMap((p) => p.stripePriceIds.map((id) => ({ id, planKey: p.key, packKey: null }))),
    ...catalog.creditPacks.flatMap((p) => p.stripePriceIds.map((id) => ({ id, planKey: null, packKey: p.key }))),
  ];
  for (const { id, planKey, packKey } of owners) {
    await tx.catalogPrice.upsert({
      where: { stripePriceId: id },
      create: { stripePriceId: id, planKey, packKey },
      update: { planKey, packKey },
    });
  }
  if (changes.rules) {
    const r = catalog.rules;
    const data = {
      gracePeriodDays: r.gracePeriodDays,
      autoBlockDisputes: r.autoBlock.disputes,
      autoBlockWindowDays: r.autoBlock.windowDays,
      refundApprovalAbove: r.refundApproval.above,
      refundApprovalCurrency: r.refundApproval.currency,
      ...(r.manualGrantFinanceAbove !== undefined ? { manualGrantFinanceAbove: r.manualGrantFinanceAbove } : {}),
      ...(r.upgradeCredits !== undefined ? { upgradeCredits: r.upgradeCredits } : {}),
      ...(r.policies ?? {}),
    };
    await tx.catalogRules.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  }
}

function summarize(result: CatalogImportResult): string {
  const part = (name: string, d: CatalogDiff) =>
    d.added.length + d.updated.length + d.removed.length
      ? `${name}: +${d.added.length} ~${d.updated.length} -${d.removed.length}`
      : null;
  return (
    [
      part('features', result.features),
      part('plans', result.plans),
      part('packs', result.creditPacks),
      result.rules ? 'rules changed' : null,
    ]
      .filter(Boolean)
      .join(', ') || 'order changed'
  );
}
