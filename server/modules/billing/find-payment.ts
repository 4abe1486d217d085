// The Payment a charge-level object (refund, dispute, fraud warning) belongs to. Pack payments are
// known by their payment intent from the checkout session; subscription payments by the invoice
// (invoice_payment.paid links its payment intent and charge, or the background job resolves an
// unknown charge through Stripe: resolve-charge-payment.ts). Ids are linked on first sight.
import type { Tx } from '../../db/tx.ts';
import type { Payment } from '../../generated/prisma/client.ts';

export interface ChargeRef {
  chargeId: string | null;
  paymentIntentId: string | null;
  /** The invoice Stripe says this payment paid (resolved in the background job), if any. */
  invoiceId?: string | null;
}

export async function findPaymentForCharge(tx: Tx, input: ChargeRef): Promise<Payment | null> {
  let payment: Payment | null = null;
  if (input.chargeId) payment = await tx.payment.findUnique({ where: { chargeId: input.chargeId } });
  if (!payment && input.paymentIntentId) {
    payment = await tx.payment.findUnique({ where: { paymentIntentId: input.paymentIntentId } });
  }
  if (!payment && input.invoiceId) payment = await tx.payment.findUnique({ where: { invoiceId: input.invoiceId } });
  return payment ? linkPaymentIds(tx, payment, input) : null;
}

/** Records the payment intent and charge ids a payment lacks (unless another payment holds them). */
export async function linkPaymentIds(
  tx: Tx,
  payment: Payment,
  ids: { chargeId: string | null; paymentIntentId: string | null },
): Promise<Payment> {
  const data: { chargeId?: string; paymentIntentId?: string } = {};
  if (ids.chargeId && !payment.chargeId) {
    const taken = await tx.payment.findUnique({ where: { chargeId: ids.chargeId }, select: { id: true } });
    if (!taken) data.chargeId = ids.chargeId;
  }
  if (ids.paymentIntentId && !payment.paymentIntentId) {
    const taken = await tx.payment.findUnique({
      where: { paymentIntentId: ids.paymentIntentId },
      select: { id: true },
    });
    if (!taken) data.paymentIntentId = ids.paymentIntentId;
  }
  return Object.keys(data).length ? tx.payment.update({ where: { id: payment.id }, data }) : payment;
}

/** A refund or dispute can only concern money that was paid: while the payment we know is still
 * pending (a delayed method whose success event is late), the credits are not granted yet and
 * the effect must wait for them. */
export function isSettled(payment: Payment): boolean {
  return payment.status !== 'pending';
}
