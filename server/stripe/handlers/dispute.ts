// Shared by the charge.dispute.* handlers: all carry the dispute object.
import type Stripe from 'stripe';
import { applyDispute } from '../../modules/billing/apply-dispute.ts';
import type { EventHandler } from '../../modules/stripe-events/event-handler.ts';
import type { ChargeRef } from '../../modules/billing/find-payment.ts';
import { resolveChargePayment } from '../../modules/billing/resolve-charge-payment.ts';
import { stripeId } from '../../modules/billing/resolve-event-customer.ts';
import { ids } from './lock-keys.ts';

export function disputeHandler(): EventHandler<Stripe.Dispute, ChargeRef | null> {
  return {
    lockKeys: (dispute) => ids(dispute.id, dispute.charge, dispute.payment_intent),
    prepare: (ctx, dispute) =>
      resolveChargePayment(ctx, {
        chargeId: stripeId(dispute.charge),
        paymentIntentId: stripeId(dispute.payment_intent),
      }),
    apply: (tx, { object, event, actor, prepared }) =>
      applyDispute(tx, { dispute: object, event, actor, resolved: prepared }),
  };
}
