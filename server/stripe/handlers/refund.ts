// Shared by refund.created / refund.updated / refund.failed / charge.refund.updated.
import type Stripe from 'stripe';
import { applyRefund } from '../../modules/billing/apply-refund.ts';
import type { EventHandler } from '../../modules/billing/event-handler.ts';
import { ids } from './lock-keys.ts';

export function refundHandler(): EventHandler<Stripe.Refund> {
  return {
    lockKeys: (refund) => ids(refund.id, refund.charge, refund.payment_intent),
    apply: (tx, { object, event, actor }) =>
      applyRefund(tx, { refund: object, requestIdempotencyKey: event.requestIdempotencyKey, actor }),
  };
}
