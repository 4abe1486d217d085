import { defineHandler } from '../../modules/billing/event-handler.ts';
import { checkoutSessionHandler } from './checkout-session.ts';

export default defineHandler('checkout.session.expired', checkoutSessionHandler('expired'));
