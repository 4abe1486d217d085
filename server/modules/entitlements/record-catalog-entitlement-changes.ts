// A catalog change (an admin's save, an import, a restore) can change what customers may use
// without anything happening to them: their plan's entitlements moved, the default plan changed, or
// a feature went away. Each customer whose effective entitlements differ gets one entitlement event
// (kind catalog_changed, values before and after) in the catalog write's transaction, so the
// timeline shows it and its trigger reports `entitlements.changed` to the product
// (prisma/sql/functions/outbound_on_entitlement_event.sql) — once per customer and change.
import { canonicalJson } from '../../lib/json.ts';
import type { Tx } from '../../db/tx.ts';
import type { Customer, Feature, Plan, Prisma } from '../../generated/prisma/client.ts';
import { planEntitlements } from '../catalog/catalog-shape.ts';
import { combineEntitlements, entitlementValues, type EntitlementOverride } from './resolve-entitlements.ts';

export interface CatalogRows {
  features: Feature[];
  plans: Plan[];
}

const BATCH = 1000;

/** What a plan grants, for telling which plans' customers may be touched. */
const grants = (plan: Plan | undefined) => (plan ? canonicalJson(planEntitlements(plan)) : null);

/** Entitled values only: a feature that is off and one that does not exist are the same to a customer. */
const entitled = (values: Record<string, boolean | number>) =>
  canonicalJson(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== false)));

/**
 * Writes the events for the change from `before` to the catalog now in the database (call after
 * writing it, in the same transaction). Returns how many customers' entitlements changed.
 */
export async function recordCatalogEntitlementChanges(
  tx: Tx,
  before: CatalogRows,
  cause: { reason: string; reference: string | null; now?: Date },
): Promise<number> {
  const now = cause.now ?? new Date();
  const after: CatalogRows = {
    features: await tx.feature.findMany({ orderBy: { key: 'asc' } }),
    plans: await tx.plan.findMany(),
  };
  const plansBefore = new Map(before.plans.map((p) => [p.key, p]));
  const plansAfter = new Map(after.plans.map((p) => [p.key, p]));
  const defaultBefore = before.plans.find((p) => p.isDefault);
  const defaultAfter = after.plans.find((p) => p.isDefault);

  // Who may be touched: customers on a plan whose grants changed, on the default plan when it
  // changed, and holders of an override for a feature that is gone. Each is then resolved exactly.
  const changedPlans = [...new Set([...plansBefore.keys(), ...plansAfter.keys()])].filter(
    (key) => grants(plansBefore.get(key)) !== grants(plansAfter.get(key)),
  );
  const defaultChanged = grants(defaultBefore) !== grants(defaultAfter);
  const goneFeatures = before.features.map((f) => f.key).filter((key) => !after.features.some((f) => f.key === key));
  if (!changedPlans.length && !defaultChanged && !goneFeatures.length) return 0;
  const where: Prisma.CustomerWhereInput = {
    OR: [
      { planKey: { in: changedPlans } },
      ...(defaultChanged ? [{ planKey: null }] : []),
      ...(goneFeatures.length ? [{ overrides: { some: { feature: { in: goneFeatures }, revokedAt: null } } }] : []),
    ],
  };

  let changed = 0;
  let cursor: string | undefined;
  for (;;) {
    const customers: Customer[] = await tx.customer.findMany({
      where,
      orderBy: { id: 'asc' },
      take: BATCH,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (!customers.length) break;
    cursor = customers.at(-1)!.id;
    const overrides = await tx.customerOverride.findMany({
      where: {
        customerId: { in: customers.map((c) => c.id) },
        revokedAt: null,
        OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
      },
      orderBy: { createdAt: 'asc' },
    });
    const byCustomer = new Map<string, EntitlementOverride[]>();
    for (const o of overrides) byCustomer.set(o.customerId, [...(byCustomer.get(o.customerId) ?? []), o]);

    const events: Prisma.EntitlementEventCreateManyInput[] = [];
    for (const customer of customers) {
      const own = byCustomer.get(customer.id) ?? [];
      const planOf = (plans: Map<string, Plan>, fallback: Plan | undefined) =>
        (customer.planKey ? plans.get(customer.planKey) : fallback) ?? null;
      const was = combineEntitlements(customer, before.features, planOf(plansBefore, defaultBefore), own);
      const is = combineEntitlements(customer, after.features, planOf(plansAfter, defaultAfter), own);
      const previous = entitlementValues(was);
      const current = entitlementValues(is);
      if (entitled(previous) === entitled(current)) continue;
      events.push({
        customerId: customer.id,
        kind: 'catalog_changed',
        before: { planKey: was.plan?.key ?? null, entitlements: previous },
        after: { planKey: is.plan?.key ?? null, entitlements: current },
        reason: cause.reason,
        reference: cause.reference,
      });
    }
    if (events.length) await tx.entitlementEvent.createMany({ data: events });
    changed += events.length;
    if (customers.length < BATCH) break;
  }
  return changed;
}
