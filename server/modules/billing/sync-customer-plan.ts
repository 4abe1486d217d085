// The customer's plan follows their subscriptions: the newest subscription that still entitles
// (active, trialing, or past_due inside its grace period) gives its plan; otherwise the catalog's
// default plan. Called after every subscription, invoice and grace change; it writes only when the
// plan actually changes, so calling it again is harmless.
import type { Tx } from '../../db/tx.ts';
import { getDefaultPlan } from '../catalog/get-plan.ts';
import { setCustomerPlan } from '../entitlements/set-customer-plan.ts';

const ENTITLING = new Set(['active', 'trialing', 'past_due']);

function subscriptionEntitles(
  sub: { status: string; graceUntil: Date | null; planKey: string | null },
  now: Date,
): boolean {
  if (!sub.planKey || !ENTITLING.has(sub.status)) return false;
  return !sub.graceUntil || sub.graceUntil > now;
}

export async function syncCustomerPlan(
  tx: Tx,
  input: { customerId: string; now: Date; reason: string; reference?: string | null },
): Promise<{
  /** Effective plan (the default plan's key when on the default). */ planKey: string | null;
  changed: boolean;
}> {
  const subs = await tx.subscription.findMany({
    where: { customerId: input.customerId },
    orderBy: [{ currentPeriodStart: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
  });
  const entitling = subs.find((s) => subscriptionEntitles(s, input.now));
  const defaultKey = (await getDefaultPlan(tx))?.key ?? null;
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: input.customerId },
    select: { planKey: true },
  });
  // No plan key on the customer means "the default plan": compare effective plans, so a customer
  // who never subscribed is not "changed" from the default to the default.
  const current = customer.planKey ?? defaultKey;
  const target = entitling?.planKey ?? defaultKey;
  if (current === target) return { planKey: current, changed: false };
  // null = the default plan, so a later change of the default applies to this customer too.
  const result = await setCustomerPlan(tx, {
    customerId: input.customerId,
    planKey: entitling?.planKey ?? null,
    reason: input.reason,
    reference: input.reference ?? null,
  });
  return { planKey: target, changed: result.changed };
}
