import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { invoicePaidHandler } from './invoice.ts';

export default defineHandler('invoice.paid', invoicePaidHandler());
