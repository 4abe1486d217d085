// Shared by the customer.subscription.* handlers.
import type Stripe from 'stripe';
import { applySubscription } from '../../modules/billing/apply-subscription.ts';
import type { EventHandler } from '../../modules/stripe-events/event-handler.ts';
import { previousStatus } from '../../modules/billing/subscription-tie.ts';
import { ids, userKey } from './lock-keys.ts';

export function subscriptionHandler(options: { deleted: boolean }): EventHandler<Stripe.Subscription> {
  return {
    lockKeys: (sub) => [...ids(sub.id, sub.customer), userKey(sub.metadata?.user_id)],
    apply: (tx, { object, event, now }) =>
      applySubscription(tx, {
        subscription: object,
        asOf: event.created,
        previousStatus: previousStatus(event.previousAttributes),
        deleted: options.deleted,
        linkedCustomerId: event.linkedCustomerId,
        now,
      }),
  };
}
