// An invoice needs its subscription (customer, plan, grace). If the subscription has not been seen
// yet, a subscription re-read from Stripe (prepare phase) is applied first; without one the event
// is deferred until customer.subscription.created arrives.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Subscription } from '../../generated/prisma/client.ts';
import { applySubscription } from './apply-subscription.ts';
import type { PrepareContext } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { stripeForPrepare } from '../stripe-events/stripe-access.ts';

export async function findSubscriptionForInvoice(
  tx: Tx,
  input: {
    subscriptionId: string;
    reread: { subscription: Stripe.Subscription; readAt: Date } | null;
    linkedCustomerId: string | null;
    now: Date;
  },
): Promise<Subscription> {
  let sub = await tx.subscription.findUnique({ where: { id: input.subscriptionId } });
  if (!sub && input.reread) {
    await applySubscription(tx, {
      subscription: input.reread.subscription,
      asOf: input.reread.readAt,
      deleted: input.reread.subscription.status === 'canceled',
      linkedCustomerId: input.linkedCustomerId,
      now: input.now,
    });
    sub = await tx.subscription.findUnique({ where: { id: input.subscriptionId } });
  }
  if (!sub) {
    throw new DeferEventError({ code: 'subscription_not_seen_yet', detail: { subscriptionId: input.subscriptionId } });
  }
  return sub;
}

/** Prepare phase: re-read a subscription we do not know yet, when Stripe is reachable. */
export async function rereadUnknownSubscription(
  ctx: PrepareContext,
  subscriptionId: string | null,
): Promise<{ subscription: Stripe.Subscription; readAt: Date } | null> {
  if (!ctx.stripe || !subscriptionId) return null;
  if (await ctx.prisma.subscription.findUnique({ where: { id: subscriptionId }, select: { id: true } })) return null;
  const stripe = stripeForPrepare(ctx, `re-read subscription ${subscriptionId}`);
  if (!stripe) return null;
  const readAt = new Date();
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  return { subscription, readAt };
}
