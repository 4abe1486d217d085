// The Stripe half of a refund, after its row and clawback have committed (no network call inside
// a transaction): refunds.create with the row's Idempotency-Key (derived from the request id) and
// metadata naming the Creditdesk refund, then the answer is recorded through the same applyRefund
// the webhook uses, so the API answer and refund.created converge on one row whatever the order.
//   Stripe refuses (4xx: it did nothing)  -> the clawback is undone (refund_restore entry), the row
//                                           is failed with Stripe's words, STRIPE_ERROR.
//   no clear answer (network, 5xx, 409)   -> the row stays pending with the error noted; a retry
//                                           sends the same key (Stripe replays), and the webhook
//                                           matches the refund by its metadata if it was made.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import { TX_OPTIONS, type Tx } from '../../db/tx.ts';
import type { Payment, Prisma, Refund } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { toJson } from '../../lib/json.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { applyRefund, recomputePaymentRefunds } from '../billing/apply-refund.ts';
import { clawbackLot } from '../ledger/clawback-lot.ts';
import { restoreCredits } from '../ledger/restore-credits.ts';
import { formatCredits, formatMoney } from '../../contracts/money.ts';
import type { RefundCalculation } from './calculate-refund.ts';
import { lockForRefund } from './load-refund-figures.ts';

export interface RefundDeps {
  prisma: Db;
  stripe: Stripe | null;
}

export type StripeTarget = { type: 'charge' | 'payment_intent'; id: string };

/** What a Creditdesk refund row keeps in `calculation`: the figures it was decided on. */
export interface StoredCalculation extends RefundCalculation {
  amount: number;
  creditsForAmount: number;
  /** Fixed at request time: a retry must send Stripe exactly the same parameters. */
  stripeTarget: StripeTarget;
}

export function refundIdempotencyKey(requestId: string): string {
  return `creditdesk_refund:${requestId}`;
}

export function stripeTargetOf(payment: Pick<Payment, 'chargeId' | 'paymentIntentId'>): StripeTarget | null {
  if (payment.chargeId) return { type: 'charge', id: payment.chargeId };
  if (payment.paymentIntentId) return { type: 'payment_intent', id: payment.paymentIntentId };
  return null;
}

export function storedCalculation(row: Pick<Refund, 'calculation'>): StoredCalculation {
  const calc = row.calculation as unknown as StoredCalculation | null;
  if (!calc?.stripeTarget) throw new AppError('INTERNAL', 'The refund has no stored calculation');
  return calc;
}

export function calculationJson(calc: StoredCalculation): Prisma.InputJsonValue {
  return toJson(calc) as Prisma.InputJsonValue;
}

/** Takes the refunded credits out of the payment's lot, inside the caller's locked transaction. */
export async function clawBackForRefund(
  tx: Tx,
  input: { refund: Refund; lotId: string | null; credits: number; actor: Actor },
): Promise<Refund> {
  const { refund, lotId, credits, actor } = input;
  if (!lotId || credits <= 0) return refund;
  await clawbackLot(tx, {
    lotId,
    credits,
    type: 'refund_clawback',
    idempotencyKey: `refund_clawback:${refund.id}`,
    reason: `Refund of ${formatMoney(refund.amount, refund.currency)}: ${refund.reason ?? 'no reason given'}`,
    actor,
    reference: refund.id,
    referenceType: 'creditdesk_refund',
    metadata: { paymentId: refund.paymentId, amount: refund.amount, currency: refund.currency },
  });
  return tx.refund.update({ where: { id: refund.id }, data: { creditsClawedBack: credits } });
}

interface StripeLikeError {
  message?: string;
  statusCode?: number;
  rawType?: string;
  type?: string;
}

/** Stripe answered with a 4xx: it refused and did nothing (validation failures are not stored). */
function isRefusal(err: unknown): boolean {
  const e = err as StripeLikeError;
  if (typeof e?.statusCode !== 'number') return false;
  if (e.rawType === 'idempotency_error' || e.statusCode === 409) return false;
  return e.statusCode >= 400 && e.statusCode < 500;
}

export async function confirmRefund(deps: RefundDeps, refundId: string, actor: Actor): Promise<Refund> {
  const stripe = deps.stripe;
  if (!stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured: no refund can be sent');
  const row = await deps.prisma.refund.findUniqueOrThrow({ where: { id: refundId } });
  if (row.status !== 'pending' || row.stripeRefundId) return row;
  const payment = await deps.prisma.payment.findUniqueOrThrow({ where: { id: row.paymentId ?? '' } });
  const calc = storedCalculation(row);
  const params: Stripe.RefundCreateParams = {
    [calc.stripeTarget.type]: calc.stripeTarget.id,
    amount: row.amount,
    ...(row.stripeReason ? { reason: row.stripeReason as Stripe.RefundCreateParams.Reason } : {}),
    metadata: {
      creditdesk_refund_id: row.id,
      creditdesk_payment_id: payment.id,
      creditdesk_customer_id: payment.customerId ?? '',
      creditdesk_requested_by: row.requestedBy ?? '',
    },
  };

  let created: Stripe.Refund;
  try {
    created = await stripe.refunds.create(params, { idempotencyKey: row.idempotencyKey });
  } catch (err) {
    const raw = (err as StripeLikeError).message ?? String(err);
    const message = /[.!?]$/.test(raw) ? raw : `${raw}.`;
    if (isRefusal(err)) {
      await undoRefund(deps.prisma, { refund: row, payment, message, actor });
      throw new AppError(
        'STRIPE_ERROR',
        `Stripe refused the refund: ${message}` +
          (row.creditsClawedBack > 0
            ? ` The ${formatCredits(row.creditsClawedBack)} credits taken back were given back.`
            : '') +
          ' Nothing was refunded.',
        { refundId: row.id, resumable: false },
      );
    }
    const note = `Stripe did not confirm the refund (${message}). It stays pending: retrying is safe (same request, same Idempotency-Key), and Stripe's event will be matched if the refund was made.`;
    await deps.prisma.refund.update({ where: { id: row.id }, data: { error: note } });
    throw new AppError('STRIPE_ERROR', note, { refundId: row.id, resumable: true });
  }

  await deps.prisma.$transaction(async (tx) => {
    await lockForRefund(tx, payment, created.id);
    await applyRefund(tx, { refund: created, requestIdempotencyKey: row.idempotencyKey, actor });
    await tx.refund.updateMany({
      where: { id: row.id, stripeRefundId: created.id, status: { in: ['pending', 'succeeded'] } },
      data: { error: null },
    });
  }, TX_OPTIONS);
  return deps.prisma.refund.findUniqueOrThrow({ where: { id: row.id } });
}

/** Stripe refused: the credits go back to the lot they came from and the row says why. */
async function undoRefund(
  prisma: Db,
  input: { refund: Refund; payment: Payment; message: string; actor: Actor },
): Promise<void> {
  const { refund, payment, message, actor } = input;
  await prisma.$transaction(async (tx) => {
    await lockForRefund(tx, payment);
    const current = await tx.refund.findUniqueOrThrow({ where: { id: refund.id } });
    if (current.status !== 'pending' || current.stripeRefundId) return;
    if (current.creditsClawedBack > 0 && payment.lotId) {
      await restoreCredits(tx, {
        lotId: payment.lotId,
        credits: current.creditsClawedBack,
        type: 'refund_restore',
        idempotencyKey: `refund_restore:${current.id}`,
        reason: `Stripe refused the refund of ${formatMoney(current.amount, current.currency)}: credits given back`,
        actor,
        reference: current.id,
        referenceType: 'creditdesk_refund',
      });
    }
    const failed = await tx.refund.update({
      where: { id: current.id },
      data: { status: 'failed', error: `Stripe refused: ${message}` },
    });
    await recomputePaymentRefunds(tx, await tx.payment.findUniqueOrThrow({ where: { id: payment.id } }));
    await recordAudit(tx, {
      actor,
      action: 'refund.stripe_refused',
      targetType: 'refund',
      targetId: current.id,
      customerId: payment.customerId,
      before: { status: current.status },
      after: { status: failed.status, error: failed.error, creditsRestored: current.creditsClawedBack },
      reason: message,
    });
  }, TX_OPTIONS);
}
