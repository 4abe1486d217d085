// radar.early_fraud_warning.created / updated: recorded, and the customer flagged so support sees
// it (and can refund before a dispute costs a fee).
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { findPaymentForCharge } from './find-payment.ts';
import { stripeId } from './resolve-event-customer.ts';

export async function applyFraudWarning(
  tx: Tx,
  input: { warning: Stripe.Radar.EarlyFraudWarning },
): Promise<HandlerOutcome> {
  const { warning } = input;
  const chargeId = stripeId(warning.charge);
  const payment = await findPaymentForCharge(tx, {
    chargeId,
    paymentIntentId: stripeId(warning.payment_intent ?? null),
  });
  if (!payment) {
    throw new DeferEventError({
      code: 'payment_not_seen_yet',
      detail: { objectId: warning.id, chargeId, paymentIntentId: stripeId(warning.payment_intent ?? null) },
    });
  }
  const data = {
    chargeId: chargeId ?? '',
    customerId: payment.customerId,
    fraudType: warning.fraud_type,
    actionable: warning.actionable,
  };
  await tx.fraudWarning.upsert({ where: { id: warning.id }, create: { id: warning.id, ...data }, update: data });
  if (payment.customerId) {
    await tx.customer.updateMany({
      where: { id: payment.customerId, fraudWarningAt: null },
      data: { fraudWarningAt: new Date(warning.created * 1000) },
    });
  }
  return {
    summary: `early fraud warning ${warning.id} (${warning.fraud_type}) on ${chargeId}${warning.actionable ? ': actionable, consider refunding before a dispute' : ''}; customer flagged`,
    customerId: payment.customerId,
  };
}
