// The grace-expiry job's work: subscriptions whose grace period ended without a paid invoice lose
// their plan; the customer falls back to the default plan (entitlements follow). A later
// invoice.paid ends the grace and restores the plan through the same syncCustomerPlan.
import type { Db } from '../../db/client.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { syncCustomerPlan } from './sync-customer-plan.ts';

export async function expireGracePeriods(
  db: Db,
  input: { now?: Date } = {},
): Promise<Array<{ subscriptionId: string; customerId: string; planKey: string | null }>> {
  const now = input.now ?? new Date();
  const expired = await db.subscription.findMany({
    where: { graceUntil: { lte: now }, status: { not: 'canceled' } },
    select: { id: true, customerId: true, planKey: true, graceUntil: true },
  });
  const downgraded: Array<{ subscriptionId: string; customerId: string; planKey: string | null }> = [];
  for (const sub of expired) {
    await db.$transaction(async (tx) => {
      const synced = await syncCustomerPlan(tx, {
        customerId: sub.customerId,
        now,
        reason: `Grace period of subscription ${sub.id} ended unpaid`,
        reference: sub.id,
      });
      if (!synced.changed) return;
      await recordAudit(tx, {
        actor: SYSTEM_ACTOR,
        action: 'subscription.grace_expired',
        targetType: 'subscription',
        targetId: sub.id,
        customerId: sub.customerId,
        before: { planKey: sub.planKey, graceUntil: sub.graceUntil },
        after: { planKey: synced.planKey },
        reason: 'Grace period ended without a paid invoice',
      });
      downgraded.push({ subscriptionId: sub.id, customerId: sub.customerId, planKey: synced.planKey });
    });
  }
  return downgraded;
}
