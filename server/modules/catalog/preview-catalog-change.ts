// What a catalog change would do, before it is saved: every problem the import would refuse (with
// its path, for the form), and each change with the customers it touches now, counted with a
// sample. Plans: customers on the plan (the default plan also covers customers with no plan) when
// entitlements, monthly credits or rollover change. Prices: customers whose live subscription uses
// a price that is dropped or moved, and the failed events a newly mapped price unblocks. Features:
// customers who have the feature by plan or override when its type or cost changes. Packs change
// future purchases only. Read-only; the words are the web's job, so changes are structured.
import type { CatalogJson, CatalogProblem, EntitlementValue } from '../../contracts/catalog.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { canonicalJson } from '../../lib/json.ts';
import { canonicalCatalog, rowsToCatalog, rulesToJson } from './catalog-shape.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';
import { getCatalog } from './get-catalog.ts';
import { diff, type CatalogDiff } from './import-catalog.ts';
import { validateCatalog } from '../../contracts/validate-catalog.ts';

const SAMPLE_SIZE = 5;
/** Subscriptions in these states renew no more: a price change cannot touch them. */
const ENDED_SUBSCRIPTIONS = ['canceled', 'incomplete_expired'];

type Catalog = Required<CatalogJson>;
type Scalar = string | number | boolean | null;

export interface CustomerSample {
  id: string;
  externalId: string;
  email: string;
  name: string | null;
  planKey: string | null;
}

export interface AffectedCustomers {
  count: number;
  sample: CustomerSample[];
}

/** One field of one item, before and after; an entitlement that is off is null. */
export interface FieldChange {
  field: string;
  before: Scalar;
  after: Scalar;
}

export type ImpactKind =
  | 'plan_added'
  | 'plan_changed'
  | 'plan_removed'
  | 'default_plan'
  | 'price_mapped'
  | 'price_moved'
  | 'price_unmapped'
  | 'feature_added'
  | 'feature_changed'
  | 'feature_removed'
  | 'pack_added'
  | 'pack_changed'
  | 'pack_removed'
  | 'rules_changed';

export interface CatalogImpact {
  kind: ImpactKind;
  /** The plan, pack or feature key, or the Stripe price id. */
  subject: string;
  changes: FieldChange[];
  /** Customers the change reaches now; null when it only shapes future purchases or is cosmetic. */
  customers: AffectedCustomers | null;
  /** Failed or deferred events a newly mapped price unblocks (reprocess them after saving). */
  waitingEventIds?: string[];
  /** true when customers may lose something (a feature, credits, a working price). */
  attention: boolean;
}

export interface CatalogChangePreview {
  ok: boolean;
  problems: CatalogProblem[];
  changed: boolean;
  diff: { features: CatalogDiff; plans: CatalogDiff; creditPacks: CatalogDiff; rules: boolean } | null;
  impacts: CatalogImpact[];
}

const CUSTOMER_SELECT = { id: true, externalId: true, email: true, name: true, planKey: true } as const;

async function affected(db: DbOrTx, where: Prisma.CustomerWhereInput): Promise<AffectedCustomers> {
  const [count, sample] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({
      where,
      select: CUSTOMER_SELECT,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: SAMPLE_SIZE,
    }),
  ]);
  return { count, sample };
}

function onPlan(key: string, isDefault: boolean): Prisma.CustomerWhereInput {
  return isDefault ? { OR: [{ planKey: key }, { planKey: null }] } : { planKey: key };
}

function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  fields: string[],
): FieldChange[] {
  return fields
    .filter((f) => canonicalJson(before[f] ?? null) !== canonicalJson(after[f] ?? null))
    .map((f) => ({ field: f, before: (before[f] ?? null) as Scalar, after: (after[f] ?? null) as Scalar }));
}

function entitlementChanges(
  before: Record<string, EntitlementValue>,
  after: Record<string, EntitlementValue>,
): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => before[k] !== after[k])
    .map((k) => ({ field: `entitlements.${k}`, before: before[k] ?? null, after: after[k] ?? null }));
}

function priceOwners(catalog: Catalog): Map<string, string> {
  return new Map([
    ...catalog.plans.flatMap((p) => p.stripePriceIds.map((id) => [id, `plan:${p.key}`] as const)),
    ...catalog.creditPacks.flatMap((p) => p.stripePriceIds.map((id) => [id, `pack:${p.key}`] as const)),
  ]);
}

function flattenRules(rules: Catalog['rules']): Record<string, Scalar> {
  return {
    gracePeriodDays: rules.gracePeriodDays,
    'autoBlock.disputes': rules.autoBlock.disputes,
    'autoBlock.windowDays': rules.autoBlock.windowDays,
    'refundApproval.above': rules.refundApproval.above,
    'refundApproval.currency': rules.refundApproval.currency,
    manualGrantFinanceAbove: rules.manualGrantFinanceAbove ?? null,
    upgradeCredits: rules.upgradeCredits ?? null,
    'policies.refundPolicy': rules.policies?.refundPolicy ?? null,
    'policies.cancellationPolicy': rules.policies?.cancellationPolicy ?? null,
    'policies.productDescription': rules.policies?.productDescription ?? null,
  };
}

export async function previewCatalogChange(
  db: DbOrTx,
  input: unknown,
  now: Date = new Date(),
): Promise<CatalogChangePreview> {
  const validation = validateCatalog(input);
  if (!validation.ok) return { ok: false, problems: validation.problems, changed: false, diff: null, impacts: [] };

  const rows = await getCatalog(db);
  const currentRules = rulesToJson(rows.rules);
  const before = rowsToCatalog({ ...rows, rules: currentRules });
  const after = canonicalCatalog(validation.catalog, currentRules);
  const changes = {
    features: diff(before.features, after.features),
    plans: diff(before.plans, after.plans),
    creditPacks: diff(before.creditPacks, after.creditPacks),
    rules: canonicalJson(before.rules) !== canonicalJson(after.rules),
  };
  const impacts: CatalogImpact[] = [];
  const problems: CatalogProblem[] = [];

  const oldDefault = before.plans.find((p) => p.default)?.key ?? null;
  const newDefault = after.plans.find((p) => p.default)?.key ?? null;
  const beforePlans = new Map(before.plans.map((p) => [p.key, p]));
  for (const plan of after.plans) {
    const old = beforePlans.get(plan.key);
    if (!old) {
      impacts.push({ kind: 'plan_added', subject: plan.key, changes: [], customers: null, attention: false });
      continue;
    }
    const material = [
      ...fieldChanges(old, plan, ['monthlyCredits', 'rollover']),
      ...entitlementChanges(old.entitlements, plan.entitlements),
    ];
    const cosmetic = fieldChanges(old, plan, ['name']);
    if (!material.length && !cosmetic.length) continue;
    const lost = material.some(
      (c) =>
        (c.field === 'monthlyCredits' && Number(c.after) < Number(c.before)) ||
        (c.field === 'rollover' && c.before === true) ||
        (c.field.startsWith('entitlements.') && lessGenerous(c.before, c.after)),
    );
    impacts.push({
      kind: 'plan_changed',
      subject: plan.key,
      changes: [...cosmetic, ...material],
      customers: material.length ? await affected(db, onPlan(plan.key, old.default ?? false)) : null,
      attention: lost,
    });
  }
  for (const key of changes.plans.removed) {
    const customers = await affected(db, { planKey: key });
    if (customers.count > 0) {
      problems.push({
        path: 'plans',
        message: `plan "${key}" is missing but ${customers.count} customer(s) are on it; keep it in the catalog`,
      });
    }
    impacts.push({ kind: 'plan_removed', subject: key, changes: [], customers, attention: customers.count > 0 });
  }
  if (oldDefault !== newDefault) {
    impacts.push({
      kind: 'default_plan',
      subject: newDefault ?? '',
      changes: [{ field: 'default', before: oldDefault, after: newDefault }],
      // Customers without a plan of their own get whatever the default plan is.
      customers: await affected(db, { planKey: null }),
      attention: true,
    });
  }

  const oldOwners = priceOwners(before);
  const newOwners = priceOwners(after);
  const liveOn = (priceId: string): Prisma.CustomerWhereInput => ({
    subscriptions: { some: { stripePriceId: priceId, status: { notIn: ENDED_SUBSCRIPTIONS } } },
  });
  const mapped = [...newOwners.keys()].filter((id) => !oldOwners.has(id));
  const waiting = mapped.length ? await findEventsWaitingOnPrices(db, mapped) : new Map();
  for (const priceId of mapped) {
    const events = waiting.get(priceId);
    impacts.push({
      kind: 'price_mapped',
      subject: priceId,
      changes: [{ field: 'owner', before: null, after: newOwners.get(priceId)! }],
      customers: events?.customerIds.length ? await affected(db, { id: { in: events.customerIds } }) : null,
      waitingEventIds: events?.eventIds ?? [],
      attention: false,
    });
  }
  for (const [priceId, owner] of oldOwners) {
    const next = newOwners.get(priceId);
    if (next === owner) continue;
    impacts.push({
      kind: next ? 'price_moved' : 'price_unmapped',
      subject: priceId,
      changes: [{ field: 'owner', before: owner, after: next ?? null }],
      customers: await affected(db, liveOn(priceId)),
      attention: true,
    });
  }

  const beforeFeatures = new Map(before.features.map((f) => [f.key, f]));
  for (const feature of after.features) {
    const old = beforeFeatures.get(feature.key);
    if (!old) {
      impacts.push({ kind: 'feature_added', subject: feature.key, changes: [], customers: null, attention: false });
      continue;
    }
    const material = fieldChanges(old, feature, ['type', 'creditCost']);
    const cosmetic = fieldChanges(old, feature, ['name']);
    if (!material.length && !cosmetic.length) continue;
    const plansWith = before.plans.filter((p) => p.entitlements[feature.key] !== undefined);
    impacts.push({
      kind: 'feature_changed',
      subject: feature.key,
      changes: [...cosmetic, ...material],
      customers: material.length
        ? await affected(db, {
            OR: [
              ...plansWith.map((p) => onPlan(p.key, p.default ?? false)),
              { overrides: { some: activeOverride(feature.key, now) } },
            ],
          })
        : null,
      attention: material.some((c) => c.field === 'creditCost' && Number(c.after ?? 0) > Number(c.before ?? 0)),
    });
  }
  for (const key of changes.features.removed) {
    impacts.push({
      kind: 'feature_removed',
      subject: key,
      changes: [],
      customers: await affected(db, { overrides: { some: activeOverride(key, now) } }),
      attention: true,
    });
  }

  const beforePacks = new Map(before.creditPacks.map((p) => [p.key, p]));
  for (const pack of after.creditPacks) {
    const old = beforePacks.get(pack.key);
    if (!old) {
      impacts.push({ kind: 'pack_added', subject: pack.key, changes: [], customers: null, attention: false });
      continue;
    }
    const fields = fieldChanges(old, pack, ['name', 'credits', 'expiresAfterDays']);
    if (fields.length) {
      impacts.push({ kind: 'pack_changed', subject: pack.key, changes: fields, customers: null, attention: false });
    }
  }
  for (const key of changes.creditPacks.removed) {
    impacts.push({ kind: 'pack_removed', subject: key, changes: [], customers: null, attention: false });
  }

  if (changes.rules) {
    const fields = fieldChanges(
      flattenRules(before.rules),
      flattenRules(after.rules),
      Object.keys(flattenRules(after.rules)),
    );
    const grace = fields.some((f) => f.field === 'gracePeriodDays');
    impacts.push({
      kind: 'rules_changed',
      subject: 'rules',
      changes: fields,
      // A new grace period applies to payment failures from now on; those already in grace are shown.
      customers: grace ? await affected(db, { subscriptions: { some: { graceUntil: { gt: now } } } }) : null,
      attention: false,
    });
  }

  return {
    ok: problems.length === 0,
    problems,
    changed: canonicalJson(before) !== canonicalJson(after),
    diff: changes,
    impacts,
  };
}

function activeOverride(feature: string, now: Date): Prisma.CustomerOverrideWhereInput {
  return { feature, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/** An entitlement value (null: off, true: on/unlimited, a number: a limit) that gives less than before. */
function lessGenerous(before: Scalar, after: Scalar): boolean {
  const rank = (v: Scalar) => (v === true ? Number.POSITIVE_INFINITY : typeof v === 'number' ? v : -1);
  return rank(after) < rank(before);
}
