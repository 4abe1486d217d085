// payment_intent.payment_failed / payment_intent.requires_action for an automatic top-up
// (metadata.creditdesk_auto_topup): the off-session charge failed after the job created it.
// Other PaymentIntents (Checkout's) are left to their handlers.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { failTopup, failureOf } from './fail-topup.ts';

export async function applyTopupFailure(tx: Tx, pi: Stripe.PaymentIntent): Promise<HandlerOutcome> {
  const topupId = pi.metadata?.creditdesk_auto_topup;
  if (!topupId) return { summary: `payment intent ${pi.id}: not an automatic top-up (Checkout handles it)` };
  const topup = await tx.autoTopup.findUnique({ where: { id: topupId } });
  if (!topup) return { summary: `payment intent ${pi.id}: top-up ${topupId} is unknown here` };
  const failure = failureOf(pi) ?? { code: 'card_declined', message: `The payment failed (${pi.status})` };
  const changed = await failTopup(tx, topup.id, failure, pi.id);
  return {
    summary: changed
      ? `automatic top-up ${topup.id} failed (${failure.code}); top-ups paused`
      : `automatic top-up ${topup.id} is already ${topup.status}: nothing to do`,
    customerId: topup.customerId,
  };
}
