import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { checkoutSessionHandler } from './checkout-session.ts';

export default defineHandler('checkout.session.async_payment_failed', checkoutSessionHandler('async_payment_failed'));
