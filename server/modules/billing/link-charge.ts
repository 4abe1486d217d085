// charge.succeeded: remember the charge id on the payment it paid, so refunds and disputes that
// name only the charge find their purchase.
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { findPaymentForCharge } from './find-payment.ts';
import { stripeId } from './resolve-event-customer.ts';

export async function linkCharge(tx: Tx, input: { charge: Stripe.Charge }): Promise<HandlerOutcome> {
  const { charge } = input;
  const payment = await findPaymentForCharge(tx, {
    chargeId: charge.id,
    paymentIntentId: stripeId(charge.payment_intent),
  });
  if (!payment) {
    return {
      summary: `charge ${charge.id}: no Creditdesk payment for it (yet); refunds and disputes match by payment intent`,
    };
  }
  return { summary: `charge ${charge.id} linked to payment ${payment.id}`, customerId: payment.customerId };
}
