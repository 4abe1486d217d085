// Shared by refund.created / refund.updated / refund.failed / charge.refund.updated.
import type Stripe from 'stripe';
import { applyRefund } from '../../modules/billing/apply-refund.ts';
import type { EventHandler } from '../../modules/stripe-events/event-handler.ts';
import type { ChargeRef } from '../../modules/billing/find-payment.ts';
import { resolveChargePayment } from '../../modules/billing/resolve-charge-payment.ts';
import { stripeId } from '../../modules/billing/resolve-event-customer.ts';
import { ids } from './lock-keys.ts';

export function refundHandler(): EventHandler<Stripe.Refund, ChargeRef | null> {
  return {
    lockKeys: (refund) => ids(refund.id, refund.charge, refund.payment_intent),
    prepare: (ctx, refund) =>
      resolveChargePayment(ctx, {
        chargeId: stripeId(refund.charge),
        paymentIntentId: stripeId(refund.payment_intent),
      }),
    apply: (tx, { object, event, actor, prepared }) =>
      applyRefund(tx, {
        refund: object,
        requestIdempotencyKey: event.requestIdempotencyKey,
        actor,
        resolved: prepared,
      }),
  };
}
