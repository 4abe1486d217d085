// An invoice needs its subscription (customer, plan, grace). If the subscription has not been seen
// yet, a subscription re-read from Stripe (prepare phase) is applied first; without one the event
// is deferred until customer.subscription.created arrives.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Subscription } from '../../generated/prisma/client.ts';
import { applySubscription } from './apply-subscription.ts';
import { DeferEventError } from './event-errors.ts';

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
  prisma: { subscription: { findUnique(args: { where: { id: string }; select: { id: true } }): Promise<unknown> } },
  stripe: Stripe | null,
  subscriptionId: string | null,
): Promise<{ subscription: Stripe.Subscription; readAt: Date } | null> {
  if (!stripe || !subscriptionId) return null;
  if (await prisma.subscription.findUnique({ where: { id: subscriptionId }, select: { id: true } })) return null;
  const readAt = new Date();
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  return { subscription, readAt };
}
