// Shared by the four checkout.session.* handlers: one phase each, same apply function.
import type Stripe from 'stripe';
import {
  applyCheckoutSession,
  listSessionPrices,
  type CheckoutPhase,
  type LineItemPrice,
} from '../../modules/billing/apply-checkout-session.ts';
import type { EventHandler } from '../../modules/stripe-events/event-handler.ts';
import { ids, userKey } from './lock-keys.ts';

export function checkoutSessionHandler(
  phase: CheckoutPhase,
): EventHandler<Stripe.Checkout.Session, LineItemPrice[] | null> {
  return {
    lockKeys: (s) => [
      ...ids(s.id, s.payment_intent, s.customer, s.subscription),
      userKey(s.metadata?.user_id ?? s.client_reference_id),
    ],
    prepare: async (ctx, session) =>
      phase === 'expired' || session.mode !== 'payment' ? null : listSessionPrices(ctx, session),
    apply: (tx, { object, event, actor, prepared }) =>
      applyCheckoutSession(tx, { session: object, phase, event, actor, prices: prepared }),
  };
}
