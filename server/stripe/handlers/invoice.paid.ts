import { defineHandler } from '../../modules/billing/event-handler.ts';
import { invoicePaidHandler } from './invoice.ts';

export default defineHandler('invoice.paid', invoicePaidHandler());
