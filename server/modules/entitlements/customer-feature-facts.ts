// Everything a service call needs to know about one customer and one feature, in one statement:
// the customer (by the product's user id), its active overrides of that feature, optionally the
// credits a draw could take now, and optionally the usage an idempotency key already recorded
// (with the balance to answer its replay with). The catalog comes from memory (catalog-snapshot.ts);
// the rules that combine them live in resolve-entitlements.ts, once.
import { hotQuery } from '../../db/client.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import type { CatalogSnapshot } from '../catalog/catalog-snapshot.ts';
import { planOf } from '../catalog/catalog-snapshot.ts';
import { planEntitlements } from '../catalog/catalog-shape.ts';
import {
  isEntitled,
  resolveFeature,
  type EntitlementOverride,
  type ResolvedEntitlement,
} from './resolve-entitlements.ts';

export interface CustomerFeatureFacts {
  customer: {
    id: string;
    status: Customer['status'];
    planKey: string | null;
    balance: number;
    overrides: EntitlementOverride[];
    /** Only when asked for. */
    spendable: number | null;
  } | null;
  earlier: {
    id: string;
    customerId: string;
    credits: number;
    requestHash: string;
    idempotencyKey: string;
    balance: number;
  } | null;
}

const SQL = `
  SELECT jsonb_build_object(
    'customer', (
      SELECT jsonb_build_object(
        'id', c.id, 'status', c.status, 'planKey', c.plan_key, 'balance', c.balance,
        'overrides', (
          SELECT COALESCE(jsonb_agg(jsonb_build_object('id', o.id, 'feature', o.feature, 'value', o.value,
                                                       'expiresAt', o.expires_at) ORDER BY o.created_at), '[]'::jsonb)
            FROM customer_override o
           WHERE o.customer_id = c.id AND o.feature = $3 AND o.revoked_at IS NULL
             AND (o.expires_at IS NULL OR o.expires_at > $4::timestamptz)),
        'spendable', CASE WHEN $5::boolean THEN (
          SELECT COALESCE(sum(l.remaining), 0) FROM credit_lot l
           WHERE l.customer_id = c.id AND l.remaining > 0 AND NOT l.frozen
             AND (l.expires_at IS NULL OR l.expires_at > $4::timestamptz)) END)
        FROM customer c WHERE c.external_id = $1),
    'earlier', CASE WHEN $2::text IS NOT NULL THEN (
      SELECT jsonb_build_object(
        'id', u.id, 'customerId', u.customer_id, 'credits', u.credits, 'requestHash', u.request_hash,
        'idempotencyKey', u.idempotency_key,
        'balance', COALESCE((SELECT e.balance_after FROM ledger_entry e WHERE e.id = u.entry_id),
                            (SELECT c2.balance FROM customer c2 WHERE c2.id = u.customer_id), 0))
        FROM usage u WHERE u.idempotency_key = $2) END) AS r`;

export async function loadCustomerFeatureFacts(
  db: DbOrTx,
  input: { externalId: string; feature: string; now: Date; idempotencyKey?: string; spendable?: boolean },
): Promise<CustomerFeatureFacts> {
  const rows = await hotQuery<{ r: CustomerFeatureFacts }>(db, 'customer_feature_facts', SQL, [
    input.externalId,
    input.idempotencyKey ?? null,
    input.feature,
    input.now.toISOString(),
    input.spendable ?? false,
  ]);
  const facts = rows[0]!.r;
  for (const o of facts.customer?.overrides ?? []) {
    // jsonb renders a timestamptz as ISO 8601 text with its offset.
    o.expiresAt = o.expiresAt == null ? null : new Date(String(o.expiresAt as unknown));
  }
  return facts;
}

/**
 * The customer's entitlement to the feature (null: the catalog has no such feature), with the
 * plan it comes from, by the same rule resolveEntitlements applies to every feature.
 */
export function entitlementFromFacts(
  catalog: CatalogSnapshot,
  customer: NonNullable<CustomerFeatureFacts['customer']>,
  featureKey: string,
) {
  const feature = catalog.features.get(featureKey);
  if (!feature) return null;
  const plan = planOf(catalog, customer.planKey);
  const blocked = customer.status === 'blocked';
  const planValue = plan ? planEntitlements(plan)[featureKey] : undefined;
  const entitlement: ResolvedEntitlement = resolveFeature(feature, blocked, planValue, customer.overrides);
  return { entitlement, blocked, plan };
}

/** The plans whose own entitlements include the feature (before any override). */
export function plansIncluding(catalog: CatalogSnapshot, featureKey: string): string[] {
  const keys: string[] = [];
  for (const plan of catalog.plans.values()) {
    const value = planEntitlements(plan)[featureKey];
    if (value !== undefined && isEntitled(value)) keys.push(plan.key);
  }
  return keys;
}
