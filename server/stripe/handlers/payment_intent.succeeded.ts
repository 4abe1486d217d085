import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { applyTopupPayment } from '../../modules/topups/apply-topup-payment.ts';
import { ids } from './lock-keys.ts';

export default defineHandler('payment_intent.succeeded', {
  lockKeys: (pi) => ids(pi.id, pi.customer),
  apply: (tx, { object, actor, event }) => applyTopupPayment(tx, { paymentIntent: object, actor, at: event.created }),
});
