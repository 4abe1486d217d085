// charge.refunded carries the charge, not the refund: the refunds inside it (when Stripe included
// them, or as listed from Stripe in the prepare phase) are applied one by one through applyRefund,
// so this event and refund.created/updated about the same refund converge on one Refund row and
// one clawback. If the charge shows more refunded than the refunds known so far, the event waits
// for the refund events instead of guessing.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { applyRefund } from './apply-refund.ts';
import type { HandlerOutcome } from './event-handler.ts';
import { DeferEventError } from './event-errors.ts';
import { findPaymentForCharge } from './find-payment.ts';
import { stripeId } from './resolve-event-customer.ts';

export async function listChargeRefunds(stripe: Stripe | null, charge: Stripe.Charge): Promise<Stripe.Refund[] | null> {
  if (charge.refunds?.data) return null;
  if (!stripe) return null;
  return (await stripe.refunds.list({ charge: charge.id, limit: 100 })).data;
}

export async function applyChargeRefunded(
  tx: Tx,
  input: { charge: Stripe.Charge; listed: Stripe.Refund[] | null; actor: Actor },
): Promise<HandlerOutcome> {
  const { charge, actor } = input;
  const payment = await findPaymentForCharge(tx, {
    chargeId: charge.id,
    paymentIntentId: stripeId(charge.payment_intent),
  });
  if (!payment) {
    throw new DeferEventError({
      code: 'payment_not_seen_yet',
      detail: { objectId: charge.id, chargeId: charge.id, paymentIntentId: stripeId(charge.payment_intent) },
    });
  }
  const refunds = charge.refunds?.data ?? input.listed ?? [];
  const parts: string[] = [];
  for (const refund of refunds) {
    const result = await applyRefund(tx, { refund, requestIdempotencyKey: null, actor });
    parts.push(result.summary);
  }
  // Failed and canceled refunds count as accounted for: this snapshot may predate their failure.
  const known = await tx.refund.aggregate({
    where: { paymentId: payment.id, stripeRefundId: { not: null } },
    _sum: { amount: true },
  });
  const seen = known._sum.amount ?? 0;
  if (seen < charge.amount_refunded) {
    throw new DeferEventError({
      code: 'refunds_not_accounted',
      detail: { chargeId: charge.id, refunded: charge.amount_refunded, accounted: seen },
    });
  }
  if (!parts.length)
    parts.push(
      `charge ${charge.id}: ${charge.amount_refunded} ${charge.currency} refunded, all refunds already applied`,
    );
  return { summary: parts.join('; '), customerId: payment.customerId };
}
