// Same effect as invoice.paid (keyed on the invoice), so whichever arrives first grants and the
// other replays; a lost invoice.paid does not lose the period's credits.
import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { invoicePaidHandler } from './invoice.ts';

export default defineHandler('invoice.payment_succeeded', invoicePaidHandler());
