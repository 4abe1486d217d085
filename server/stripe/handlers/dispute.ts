// Shared by the charge.dispute.* handlers: all carry the dispute object.
import type Stripe from 'stripe';
import { applyDispute } from '../../modules/billing/apply-dispute.ts';
import type { EventHandler } from '../../modules/billing/event-handler.ts';
import { ids } from './lock-keys.ts';

export function disputeHandler(): EventHandler<Stripe.Dispute> {
  return {
    lockKeys: (dispute) => ids(dispute.id, dispute.charge, dispute.payment_intent),
    apply: (tx, { object, event, actor }) => applyDispute(tx, { dispute: object, event, actor }),
  };
}
