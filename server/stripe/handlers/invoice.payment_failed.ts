import { defineHandler } from '../../modules/billing/event-handler.ts';
import { invoicePaymentFailedHandler } from './invoice.ts';

export default defineHandler('invoice.payment_failed', invoicePaymentFailedHandler());
