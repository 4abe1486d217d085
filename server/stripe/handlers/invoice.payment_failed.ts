import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { invoicePaymentFailedHandler } from './invoice.ts';

export default defineHandler('invoice.payment_failed', invoicePaymentFailedHandler());
