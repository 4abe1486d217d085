// invoice_payment.paid: the one event that says which payment intent (and charge) paid a
// subscription invoice. In API 2026-10-28.endive invoices carry no `payments` unless expanded and
// charges / payment intents no longer name their invoice, so without this link a refund or a
// dispute on a subscription charge would find no purchase.
import { statusLabel } from '../../contracts/status-words.ts';
import type Stripe from 'stripe';
import type { Tx } from '../../db/tx.ts';
import type { HandlerOutcome } from '../stripe-events/event-handler.ts';
import { DeferEventError } from '../stripe-events/event-errors.ts';
import { linkPaymentIds } from './find-payment.ts';
import { stripeId } from './resolve-event-customer.ts';

export async function linkInvoicePayment(tx: Tx, input: { payment: Stripe.InvoicePayment }): Promise<HandlerOutcome> {
  const { payment } = input;
  const invoiceId = stripeId(payment.invoice);
  const paymentIntentId = stripeId(payment.payment?.payment_intent ?? null);
  const chargeId = stripeId(payment.payment?.charge ?? null);
  if (!invoiceId) return { summary: `invoice payment ${payment.id} names no invoice: nothing to link` };
  if (payment.status !== 'paid') {
    return {
      summary: `invoice payment ${payment.id} is ${statusLabel('payment', payment.status)}: nothing to link`,
    };
  }
  const row = await tx.payment.findUnique({ where: { invoiceId } });
  // invoice.paid creates the payment; this event can arrive first.
  if (!row) {
    throw new DeferEventError({ code: 'invoice_not_seen_yet', detail: { invoiceId, invoicePaymentId: payment.id } });
  }
  const linked = (await linkPaymentIds(tx, row, { paymentIntentId, chargeId })) ?? row;
  const ids = [linked.paymentIntentId, linked.chargeId].filter(Boolean).join(' / ') || 'no payment id';
  return { summary: `invoice ${invoiceId} paid by ${ids}: linked to payment ${row.id}`, customerId: row.customerId };
}
