import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { checkoutSessionHandler } from './checkout-session.ts';

export default defineHandler(
  'checkout.session.async_payment_succeeded',
  checkoutSessionHandler('async_payment_succeeded'),
);
