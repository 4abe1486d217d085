// customer.subscription.created / updated / deleted / paused / resumed, and a subscription re-read
// from Stripe. State is written only when the event is at least as new as the stored state
// (`stripeEventCreated` watermark), so a late, older event never overwrites newer state; within
// the same second the lifecycle decides (subscription-tie.ts).
import { statusLabel } from '../../contracts/status-words.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import { loadPlanName } from '../catalog/catalog-names.ts';
import { findPriceMapping } from '../catalog/find-price-mapping.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { DeferEventError, EventFailedError } from '../stripe-events/event-errors.ts';
import { resolveEventCustomer, stripeId } from './resolve-event-customer.ts';
import { decideTie, FINAL_SUBSCRIPTION_STATUSES, subscriptionTerms } from './subscription-tie.ts';
import { syncCustomerPlan } from './sync-customer-plan.ts';
import { priceSeen, unknownPrice } from '../stripe-events/unknown-price.ts';

const fromUnix = (s: number | null | undefined) => (s ? new Date(s * 1000) : null);

export async function applySubscription(
  tx: Tx,
  input: {
    subscription: Stripe.Subscription;
    /** `created` of the event (or the read time for a re-read): the state's watermark. */
    asOf: Date;
    /** previous_attributes.status of the event; null for `.created`, re-reads and updates that kept it. */
    previousStatus?: string | null;
    deleted: boolean;
    linkedCustomerId: string | null;
    now: Date;
  },
): Promise<HandlerOutcome> {
  const { subscription: sub, asOf, deleted } = input;
  const customer = await resolveEventCustomer(tx, {
    userId: sub.metadata?.user_id,
    stripeCustomerId: sub.customer,
    linkedCustomerId: input.linkedCustomerId,
  });
  if (!customer) {
    throw new DeferEventError({
      code: 'customer_not_linked_yet',
      detail: { stripeCustomerId: stripeId(sub.customer) },
    });
  }

  const item = sub.items?.data?.[0];
  const priceId = item?.price?.id ?? null;
  let planKey: string | null = sub.metadata?.kind === 'plan' ? (sub.metadata.key ?? null) : null;
  if (priceId) {
    const mapping = await findPriceMapping(tx, priceId);
    if (!mapping) throw new EventFailedError(unknownPrice(priceId, priceSeen(item?.price)));
    if (mapping.kind !== 'plan') throw new EventFailedError({ code: 'price_not_a_plan', detail: { priceId } });
    planKey = mapping.plan.key;
  }

  const existing = await tx.subscription.findUnique({ where: { id: sub.id } });
  if (existing?.stripeEventCreated && asOf < existing.stripeEventCreated) {
    return {
      summary: `subscription ${sub.id}: this state (${asOf.toISOString()}) is older than the stored one (${existing.stripeEventCreated.toISOString()}); not applied`,
      customerId: existing.customerId,
    };
  }
  if (existing && FINAL_SUBSCRIPTION_STATUSES.has(existing.status) && !deleted) {
    // Canceled and incomplete_expired are final in Stripe; a same-second update must not revive them.
    return {
      summary: `subscription ${sub.id} is already ${existing.status}; not reopened`,
      customerId: existing.customerId,
    };
  }

  const status = deleted ? 'canceled' : sub.status;
  const statusBefore = input.previousStatus ?? null;
  if (existing?.stripeEventCreated && asOf.getTime() === existing.stripeEventCreated.getTime()) {
    // Same second: never backwards in the lifecycle (subscription-tie.ts).
    const stored = {
      status: existing.status,
      statusBefore: existing.statusBefore,
      terms: subscriptionTerms({
        priceId: existing.stripePriceId,
        periodEnd: existing.currentPeriodEnd,
        cancelAtPeriodEnd: existing.cancelAtPeriodEnd,
      }),
    };
    const terms = subscriptionTerms({
      priceId: priceId ?? existing.stripePriceId,
      periodEnd: fromUnix(item?.current_period_end) ?? existing.currentPeriodEnd,
      cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
    });
    const tie = decideTie(stored, { status, statusBefore, terms });
    if (tie.ambiguous) {
      await tx.subscription.update({ where: { id: sub.id }, data: { rereadRequestedAt: input.now } });
    }
    if (!tie.apply) {
      return {
        summary:
          `subscription ${sub.id}: ${status} is not newer than ${existing.status} from the same second; not applied` +
          (tie.ambiguous ? ' (re-read from Stripe requested)' : ''),
        customerId: existing.customerId,
      };
    }
  }
  // Proof of a healthy subscription newer than the failure ends a grace period.
  const endsGrace =
    (status === 'active' || status === 'trialing') && !!existing?.graceStartedAt && asOf >= existing.graceStartedAt;
  const state = {
    customerId: existing?.customerId ?? customer.id,
    planKey: planKey ?? existing?.planKey ?? null,
    stripePriceId: priceId ?? existing?.stripePriceId ?? null,
    status,
    currentPeriodStart: fromUnix(item?.current_period_start) ?? existing?.currentPeriodStart ?? null,
    currentPeriodEnd: fromUnix(item?.current_period_end) ?? existing?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: sub.cancel_at_period_end ?? false,
    stripeEventCreated: asOf,
    statusBefore,
    ...(endsGrace ? { graceUntil: null, graceStartedAt: null } : {}),
  };
  await tx.subscription.upsert({ where: { id: sub.id }, create: { id: sub.id, ...state }, update: state });

  const plan = await syncCustomerPlan(tx, {
    customerId: state.customerId,
    now: input.now,
    reason: deleted
      ? `Subscription ${sub.id} ended`
      : `Subscription ${sub.id} is ${statusLabel('subscription', status)}`,
    reference: sub.id,
  });
  const parts = [
    `subscription ${sub.id} ${existing ? 'updated' : 'recorded'}: ${status}, plan ${(await loadPlanName(tx, state.planKey)) ?? 'none'}`,
  ];
  if (state.cancelAtPeriodEnd && !deleted) parts.push('cancels at period end');
  if (endsGrace) parts.push('grace period ended');
  if (plan.changed) parts.push(`customer plan is now ${await loadPlanName(tx, plan.planKey)}`);
  return { summary: parts.join('; '), customerId: state.customerId };
}
