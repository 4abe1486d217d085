// The customer's plan follows their subscriptions: the newest subscription that still entitles
// (active, trialing, or past_due inside its grace period) gives its plan; otherwise the catalog's
// default plan. Called after every subscription, invoice and grace change; it writes only when the
// plan actually changes, so calling it again is harmless.
import type { Tx } from '../../db/tx.ts';
import { getDefaultPlan } from '../catalog/get-plan.ts';
import { setCustomerPlan } from '../entitlements/set-customer-plan.ts';

const ENTITLING = ['active', 'trialing', 'past_due'];

export async function syncCustomerPlan(
  tx: Tx,
  input: { customerId: string; now: Date; reason: string; reference?: string | null },
): Promise<{
  /** Effective plan (the default plan's key when on the default). */ planKey: string | null;
  changed: boolean;
}> {
  // One read: the customer's plan and the plan of their newest subscription that still entitles
  // (a plan, an entitling status, no grace period or one not over yet). Epoch seconds compare the
  // grace end whatever the column's time zone type.
  const rows = await tx.$queryRaw<Array<{ planKey: string | null; entitlingPlanKey: string | null }>>`
    SELECT c.plan_key AS "planKey",
           (SELECT s.plan_key FROM subscription s
             WHERE s.customer_id = c.id AND s.plan_key IS NOT NULL AND s.status = ANY(${ENTITLING}::text[])
               AND (s.grace_until IS NULL OR extract(epoch FROM s.grace_until) > ${input.now.getTime() / 1000})
             ORDER BY s.current_period_start DESC NULLS LAST, s.created_at DESC
             LIMIT 1) AS "entitlingPlanKey"
      FROM customer c
     WHERE c.id = ${input.customerId}::uuid`;
  const customer = rows[0];
  if (!customer) throw new Error(`syncCustomerPlan: no customer ${input.customerId}`);
  const defaultKey = (await getDefaultPlan(tx))?.key ?? null;
  // No plan key on the customer means "the default plan": compare effective plans, so a customer
  // who never subscribed is not "changed" from the default to the default.
  const current = customer.planKey ?? defaultKey;
  const target = customer.entitlingPlanKey ?? defaultKey;
  if (current === target) return { planKey: current, changed: false };
  // null = the default plan, so a later change of the default applies to this customer too.
  const result = await setCustomerPlan(tx, {
    customerId: input.customerId,
    planKey: customer.entitlingPlanKey,
    reason: input.reason,
    reference: input.reference ?? null,
  });
  return { planKey: target, changed: result.changed };
}
