// Moves a customer to a plan (a subscription started, changed, lapsed, or an admin decided).
// Records an entitlement event with the values before and after, so the support timeline can say
// "video_generation turned off on 3 May: downgraded to Free after the grace period".
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getPlan } from '../catalog/get-plan.ts';
import type { Customer } from '../../generated/prisma/client.ts';
import { entitlementValues, resolveEntitlements, resolveEntitlementsOnPlans } from './resolve-entitlements.ts';

export interface SetCustomerPlanInput {
  customerId: string;
  /** null: back to the catalog's default plan. */
  planKey: string | null;
  reason: string;
  /** The Stripe object or ticket behind the change (sub_..., evt_...). */
  reference?: string | null;
  /** Staff changes are audited as well. */
  actor?: Actor;
}

export async function setCustomerPlan(tx: DbOrTx, input: SetCustomerPlanInput) {
  if (!input.reason.trim()) throw new AppError('VALIDATION', 'A reason is required');
  return inTransaction(tx, async (t) => {
    const planKey = input.planKey ?? null;
    if (planKey && !(await getPlan(t, planKey))) {
      throw new AppError('NOT_FOUND', `Unknown plan "${planKey}"`);
    }
    // The row lock orders concurrent plan changes for one customer; the same statement reads what
    // the entitlements need of the customer.
    const [customer] = await t.$queryRaw<Array<Pick<Customer, 'id' | 'status' | 'planKey'>>>`
      SELECT id::text AS id, status::text AS status, plan_key AS "planKey"
        FROM customer WHERE id = ${input.customerId}::uuid FOR UPDATE`;
    if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
    if (customer.planKey === planKey) {
      return { changed: false as const, planKey, entitlements: await resolveEntitlements(t, customer) };
    }
    // Only the plan changes: before and after share the features and the overrides (read once).
    const [before, after] = await resolveEntitlementsOnPlans(t, customer, [customer.planKey, planKey]);
    await t.customer.update({ where: { id: customer.id }, data: { planKey }, select: { id: true } });
    const event = await t.entitlementEvent.create({
      data: {
        customerId: customer.id,
        kind: 'plan_changed',
        before: { planKey: before.plan?.key ?? null, entitlements: entitlementValues(before) },
        after: { planKey: after.plan?.key ?? null, entitlements: entitlementValues(after) },
        reason: input.reason,
        reference: input.reference ?? null,
      },
    });
    if (input.actor?.type === 'staff') {
      await recordAudit(t, {
        actor: input.actor,
        action: 'customer.set_plan',
        targetType: 'customer',
        targetId: customer.id,
        customerId: customer.id,
        before: { planKey: before.plan?.key ?? null },
        after: { planKey },
        reason: input.reason,
      });
    }
    return { changed: true as const, planKey, entitlements: after, event };
  });
}
