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
  /** Set while a webhook is answered (resolve-charge-payment.ts): the lookup was left to the apply
   * phase, and if no payment matches there, this is what Stripe must be asked in the background. */
  askStripe?: string;
}

export async function findPaymentForCharge(tx: Tx, input: ChargeRef): Promise<Payment | null> {
  // One read for every handle at once: the payment is chosen by the strongest handle (charge,
  // then payment intent, then invoice), and the same rows tell whether another payment already
  // holds an id this one lacks, so linking needs no further look-ups.
  const or = [
    ...(input.chargeId ? [{ chargeId: input.chargeId }] : []),
    ...(input.paymentIntentId ? [{ paymentIntentId: input.paymentIntentId }] : []),
    ...(input.invoiceId ? [{ invoiceId: input.invoiceId }] : []),
  ];
  if (or.length === 0) return null;
  const rows = await tx.payment.findMany({ where: { OR: or } });
  const payment =
    (input.chargeId && rows.find((r) => r.chargeId === input.chargeId)) ||
    (input.paymentIntentId && rows.find((r) => r.paymentIntentId === input.paymentIntentId)) ||
    (input.invoiceId && rows.find((r) => r.invoiceId === input.invoiceId)) ||
    null;
  if (!payment) return null;
  const holders = {
    chargeId: rows.some((r) => r.chargeId === input.chargeId),
    paymentIntentId: rows.some((r) => r.paymentIntentId === input.paymentIntentId),
  };
  return linkPaymentIds(tx, payment, input, holders);
}

/** Records the payment intent and charge ids a payment lacks (unless another payment holds them).
 * `held`: whether each id is known to be held already (the caller read every holder). */
export async function linkPaymentIds(
  tx: Tx,
  payment: Payment,
  ids: { chargeId: string | null; paymentIntentId: string | null },
  held?: { chargeId: boolean; paymentIntentId: boolean },
): Promise<Payment> {
  const data: { chargeId?: string; paymentIntentId?: string } = {};
  if (ids.chargeId && !payment.chargeId) {
    const taken =
      held?.chargeId ?? !!(await tx.payment.findUnique({ where: { chargeId: ids.chargeId }, select: { id: true } }));
    if (!taken) data.chargeId = ids.chargeId;
  }
  if (ids.paymentIntentId && !payment.paymentIntentId) {
    const taken =
      held?.paymentIntentId ??
      !!(await tx.payment.findUnique({ where: { paymentIntentId: ids.paymentIntentId }, select: { id: true } }));
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
