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

type PaymentIds = { chargeId: string | null; paymentIntentId: string | null };

export async function findPaymentForCharge(tx: Tx, input: ChargeRef): Promise<Payment | null> {
  const chargeId = input.chargeId ?? null;
  const paymentIntentId = input.paymentIntentId ?? null;
  const invoiceId = input.invoiceId ?? null;
  if (!chargeId && !paymentIntentId && !invoiceId) return null;
  // One statement on the path of every charge-level event (charge, refund, dispute, fraud warning):
  // the payment with the strongest handle (charge, then payment intent, then invoice), the ids it
  // lacks linked (linkStatement), and its row as after the link.
  const rows = await tx.$queryRaw<Payment[]>`
    WITH chosen AS (
      SELECT * FROM payment
       WHERE charge_id = ${chargeId}::text OR payment_intent_id = ${paymentIntentId}::text
          OR invoice_id = ${invoiceId}::text
       ORDER BY COALESCE(charge_id = ${chargeId}::text, false) DESC,
                COALESCE(payment_intent_id = ${paymentIntentId}::text, false) DESC,
                COALESCE(invoice_id = ${invoiceId}::text, false) DESC
       LIMIT 1
    ), linked AS (${linkStatement(Prisma.sql`SELECT id FROM chosen`, { chargeId, paymentIntentId })}),
    result AS (
      SELECT * FROM linked
      UNION ALL
      SELECT * FROM chosen WHERE NOT EXISTS (SELECT 1 FROM linked)
    )
    SELECT ${PAYMENT_COLUMNS} FROM result`;
  return rows[0] ?? null;
}

/**
 * Records the charge and payment intent ids a payment lacks, unless another payment holds them
 * (Stripe named them for a payment that did not know them yet: a charge event before its payment
 * existed, an invoice that named neither), so later refund and dispute events find it directly.
 * The payment's row after the link; null when there was nothing to link.
 */
export async function linkPaymentIds(
  tx: Tx,
  payment: Pick<Payment, 'id' | 'chargeId' | 'paymentIntentId'>,
  ids: PaymentIds,
): Promise<Payment | null> {
  const lacks = (ids.chargeId && !payment.chargeId) || (ids.paymentIntentId && !payment.paymentIntentId);
  if (!lacks) return null;
  const rows = await tx.$queryRaw<Payment[]>`
    WITH linked AS (${linkStatement(Prisma.sql`SELECT ${payment.id}::uuid`, ids)})
    SELECT ${PAYMENT_COLUMNS} FROM linked`;
  return rows[0] ?? null;
}

/**
 * The one home of the linking rule: an UPDATE of the payment whose id `target` selects, setting each
 * id it lacks that no payment holds yet, RETURNING its row (none when nothing changed). The row is
 * re-checked under its lock (COALESCE with the current value), so a concurrent link is never
 * overwritten.
 */
function linkStatement(target: Prisma.Sql, ids: PaymentIds): Prisma.Sql {
  const { chargeId, paymentIntentId } = ids;
  return Prisma.sql`
    UPDATE payment p
       SET charge_id = COALESCE(p.charge_id, l.charge_id),
           payment_intent_id = COALESCE(p.payment_intent_id, l.payment_intent_id),
           updated_at = now()
      FROM (SELECT t.id,
                   CASE WHEN t.charge_id IS NULL
                         AND NOT EXISTS (SELECT 1 FROM payment h WHERE h.charge_id = ${chargeId}::text)
                        THEN ${chargeId}::text END AS charge_id,
                   CASE WHEN t.payment_intent_id IS NULL
                         AND NOT EXISTS (SELECT 1 FROM payment h WHERE h.payment_intent_id = ${paymentIntentId}::text)
                        THEN ${paymentIntentId}::text END AS payment_intent_id
              FROM payment t WHERE t.id = (${target})) l
     WHERE p.id = l.id
       AND ((p.charge_id IS NULL AND l.charge_id IS NOT NULL)
            OR (p.payment_intent_id IS NULL AND l.payment_intent_id IS NOT NULL))
    RETURNING p.*`;
}

/** A refund or dispute can only concern money that was paid: while the payment we know is still
 * pending (a delayed method whose success event is late), the credits are not granted yet and
 * the effect must wait for them. */
export function isSettled(payment: Payment): boolean {
  return payment.status !== 'pending';
}
