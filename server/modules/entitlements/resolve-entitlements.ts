// What a customer may use, feature by feature, and why. Sources: the current plan (the catalog's
// default plan when the customer has none), permanent overrides, and temporary grants that have
// not ended. The most generous value wins (off < a limit < a higher limit < on/unlimited); a
// blocked customer has nothing, whatever the plan says. Access checks read this, never Stripe.
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer, CustomerOverride, Feature, Plan } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { boundBillingCatalog } from '../catalog/billing-catalog.ts';
import { planEntitlements } from '../catalog/catalog-shape.ts';
import { getDefaultPlan, getPlan } from '../catalog/get-plan.ts';

export type EntitlementSource = 'plan' | 'override' | 'temporary_grant' | 'none' | 'blocked';

export interface ResolvedEntitlement {
  /** false: not entitled; true: on (a limit feature: unlimited); a number: the limit. */
  value: boolean | number;
  source: EntitlementSource;
  type: Feature['type'];
  /** Credits one use costs by default (null: free to use). */
  creditCost: number | null;
  /** The override or temporary grant the value comes from. */
  overrideId?: string;
  expiresAt?: Date | null;
}

export interface ResolvedEntitlements {
  customerId: string;
  status: Customer['status'];
  blocked: boolean;
  plan: { key: string; name: string; isDefault: boolean } | null;
  features: Record<string, ResolvedEntitlement>;
}

/** Orders values by generosity: off < 0 < 1 < ... < on/unlimited. */
function generosity(value: boolean | number): number {
  if (value === true) return Number.POSITIVE_INFINITY;
  if (value === false) return Number.NEGATIVE_INFINITY;
  return value;
}

export function isEntitled(value: boolean | number): boolean {
  return value === true || (typeof value === 'number' && value > 0);
}

export async function resolveEntitlements(
  tx: DbOrTx,
  /** The customer's row, or what of it the rules read. */
  customerOrId: string | Pick<Customer, 'id' | 'status' | 'planKey'>,
  options: { now?: Date } = {},
): Promise<ResolvedEntitlements> {
  const now = options.now ?? new Date();
  const customer =
    typeof customerOrId === 'string' ? await tx.customer.findUnique({ where: { id: customerOrId } }) : customerOrId;
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  const [resolved] = await resolveEntitlementsOnPlans(tx, customer, [customer.planKey], { now });
  return resolved;
}

/**
 * resolveEntitlements for one customer on each of `planKeys` (a plan change's before and after),
 * reading the features and overrides once. A plan key of null means the catalog's default plan.
 */
export async function resolveEntitlementsOnPlans<const K extends readonly (string | null)[]>(
  tx: DbOrTx,
  customer: Pick<Customer, 'id' | 'status'>,
  planKeys: K,
  options: { now?: Date } = {},
): Promise<{ [I in keyof K]: ResolvedEntitlements }> {
  const now = options.now ?? new Date();
  // The catalog from the event pipeline's in-memory copy when one is bound to `tx` (billing-catalog.ts).
  const catalog = boundBillingCatalog(tx);
  const [features, overrides, ...plans] = await Promise.all([
    catalog?.features ?? tx.feature.findMany({ orderBy: { key: 'asc' } }),
    activeOverrides(tx, customer.id, now),
    ...planKeys.map((key) => (key ? getPlan(tx, key) : getDefaultPlan(tx))),
  ]);
  return plans.map((plan) => combineEntitlements(customer, features, plan, overrides)) as {
    [I in keyof K]: ResolvedEntitlements;
  };
}

/** The overrides and temporary grants in force at `now`, oldest first. */
function activeOverrides(tx: DbOrTx, customerId: string, now: Date): Promise<CustomerOverride[]> {
  return tx.customerOverride.findMany({
    where: { customerId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: 'asc' },
  });
}

/** The rules above on rows already loaded (a catalog change resolves many customers at once). */
export function combineEntitlements(
  customer: Pick<Customer, 'id' | 'status'>,
  features: Feature[],
  plan: Plan | null,
  overrides: EntitlementOverride[],
): ResolvedEntitlements {
  const blocked = customer.status === 'blocked';
  const fromPlan = plan ? planEntitlements(plan) : {};
  const result: Record<string, ResolvedEntitlement> = {};
  for (const feature of features)
    result[feature.key] = resolveFeature(feature, blocked, fromPlan[feature.key], overrides);
  return {
    customerId: customer.id,
    status: customer.status,
    blocked,
    plan: plan ? { key: plan.key, name: plan.name, isDefault: plan.isDefault } : null,
    features: result,
  };
}

export type EntitlementOverride = Pick<CustomerOverride, 'id' | 'feature' | 'value' | 'expiresAt'>;

/** One feature: the plan's value, raised by the most generous active override of that feature. */
export function resolveFeature(
  feature: Pick<Feature, 'type' | 'creditCost' | 'key'>,
  blocked: boolean,
  planValue: boolean | number | undefined,
  overrides: EntitlementOverride[],
): ResolvedEntitlement {
  const base = { type: feature.type, creditCost: feature.creditCost };
  if (blocked) return { ...base, value: false, source: 'blocked' };
  let best: ResolvedEntitlement =
    planValue !== undefined ? { ...base, value: planValue, source: 'plan' } : { ...base, value: false, source: 'none' };
  for (const o of overrides) {
    if (o.feature !== feature.key) continue;
    const value = o.value === true || (typeof o.value === 'number' && o.value >= 0) ? o.value : null;
    if (value === null || generosity(value) <= generosity(best.value)) continue;
    best = {
      ...base,
      value,
      source: o.expiresAt ? 'temporary_grant' : 'override',
      overrideId: o.id,
      expiresAt: o.expiresAt,
    };
  }
  return best;
}

/** The values alone, for entitlement events (before/after). */
export function entitlementValues(resolved: ResolvedEntitlements): Record<string, boolean | number> {
  return Object.fromEntries(Object.entries(resolved.features).map(([k, v]) => [k, v.value]));
}
