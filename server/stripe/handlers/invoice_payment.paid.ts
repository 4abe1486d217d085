import { defineHandler } from '../../modules/stripe-events/event-handler.ts';
import { linkInvoicePayment } from '../../modules/billing/link-invoice-payment.ts';
import { ids } from './lock-keys.ts';

export default defineHandler('invoice_payment.paid', {
  lockKeys: (p) => ids(p.invoice, p.payment?.payment_intent, p.payment?.charge),
  apply: (tx, { object }) => linkInvoicePayment(tx, { payment: object }),
});
