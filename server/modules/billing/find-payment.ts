// The Payment a charge-level object (refund, dispute, fraud warning) belongs to. Pack payments are
// known by their payment intent from the checkout session; subscription payments by the invoice
// (invoice_payment.paid links its payment intent and charge, or the background job resolves an
// unknown charge through Stripe: resolve-charge-payment.ts). Ids are linked on first sight.
import type { Tx } from '../../db/tx.ts';
import { Prisma, type Payment } from '../../generated/prisma/client.ts';

/** A payment row read by raw SQL in the shape Prisma gives it (find-payment.test.ts compares the two). */
const PAYMENT_COLUMNS = Prisma.raw(
  `id, customer_id AS "customerId", kind, catalog_key AS "catalogKey",
   checkout_session_id AS "checkoutSessionId", payment_intent_id AS "paymentIntentId", charge_id AS "chargeId",
   invoice_id AS "invoiceId", subscription_id AS "subscriptionId", amount, currency,
   amount_refunded AS "amountRefunded", status::text AS status, lot_id AS "lotId",
   credits_granted AS "creditsGranted", purchase_ip AS "purchaseIp", purchase_user_agent AS "purchaseUserAgent",
   paid_at AS "paidAt", created_at AS "createdAt", updated_at AS "updatedAt"`,
);

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
  const chargeId = input.chargeId ?? null;
  const paymentIntentId = input.paymentIntentId ?? null;
  const invoiceId = input.invoiceId ?? null;
  if (!chargeId && !paymentIntentId && !invoiceId) return null;
  // One statement on the path of every charge-level event (charge, refund, dispute, fraud warning):
  // every payment holding one of the handles, the one with the strongest handle (charge, then
  // payment intent, then invoice), and the ids it lacks recorded unless another payment holds them
  // (the same rows tell). Its row as after the link.
  const rows = await tx.$queryRaw<Payment[]>`
    WITH holders AS (
      SELECT * FROM payment
       WHERE charge_id = ${chargeId}::text OR payment_intent_id = ${paymentIntentId}::text
          OR invoice_id = ${invoiceId}::text
    ), chosen AS (
      SELECT * FROM holders
       ORDER BY COALESCE(charge_id = ${chargeId}::text, false) DESC,
                COALESCE(payment_intent_id = ${paymentIntentId}::text, false) DESC,
                COALESCE(invoice_id = ${invoiceId}::text, false) DESC
       LIMIT 1
    ), link AS (
      SELECT c.id,
             CASE WHEN c.charge_id IS NULL AND NOT EXISTS (SELECT 1 FROM holders h WHERE h.charge_id = ${chargeId}::text)
                  THEN ${chargeId}::text END AS charge_id,
             CASE WHEN c.payment_intent_id IS NULL
                       AND NOT EXISTS (SELECT 1 FROM holders h WHERE h.payment_intent_id = ${paymentIntentId}::text)
                  THEN ${paymentIntentId}::text END AS payment_intent_id
        FROM chosen c
    ), linked AS (
      UPDATE payment p
         SET charge_id = COALESCE(l.charge_id, p.charge_id),
             payment_intent_id = COALESCE(l.payment_intent_id, p.payment_intent_id),
             updated_at = now()
        FROM link l
       WHERE p.id = l.id AND (l.charge_id IS NOT NULL OR l.payment_intent_id IS NOT NULL)
      RETURNING p.*
    ), result AS (
      SELECT * FROM linked
      UNION ALL
      SELECT * FROM chosen WHERE NOT EXISTS (SELECT 1 FROM linked)
    )
    SELECT ${PAYMENT_COLUMNS} FROM result`;
  return rows[0] ?? null;
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
