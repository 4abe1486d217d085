// Reads what the calculator needs about one payment: the money, the lot it granted and what became
// of its credits (from the lot's allocations, by entry type), the refunds already made, and a dispute
// that still stands. lockForRefund takes the locks under which these figures cannot change.
import type { DbOrTx, Tx } from '../../db/tx.ts';
import type { CreditLot, Payment } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import type { RefundFigures } from './calculate-refund.ts';

/** Dispute statuses that no longer stand in the way of a refund (inquiries allow refunds). */
const HARMLESS_DISPUTES = ['won', 'prevented', 'warning_closed', 'warning_needs_response', 'warning_under_review'];

export interface LoadedRefund {
  payment: Payment;
  lot: CreditLot | null;
  figures: RefundFigures;
}

export async function loadRefundFigures(
  db: DbOrTx,
  paymentId: string,
  options: { stripeRefunded?: number | null; now?: Date } = {},
): Promise<LoadedRefund> {
  const payment = await db.payment.findUnique({ where: { id: paymentId } });
  if (!payment) throw new AppError('NOT_FOUND', 'Payment not found');
  const now = options.now ?? new Date();
  const [lot, moved, refunds, dispute] = await Promise.all([
    payment.lotId ? db.creditLot.findUnique({ where: { id: payment.lotId } }) : Promise.resolve(null),
    payment.lotId
      ? db.$queryRaw<Array<{ type: string; credits: bigint }>>`
          SELECT e.type::text AS type, COALESCE(sum(a.credits), 0)::bigint AS credits
            FROM ledger_allocation a JOIN ledger_entry e ON e.id = a.entry_id
           WHERE a.lot_id = ${payment.lotId}::uuid
           GROUP BY e.type`
      : Promise.resolve([]),
    db.refund.aggregate({
      where: { paymentId: payment.id, status: { in: ['pending', 'succeeded'] } },
      _sum: { amount: true },
    }),
    db.dispute.findFirst({
      where: {
        OR: [{ paymentId: payment.id }, ...(payment.chargeId ? [{ chargeId: payment.chargeId }] : [])],
        status: { notIn: HARMLESS_DISPUTES },
      },
      orderBy: { stripeCreated: 'desc' },
      select: { status: true },
    }),
  ]);

  const byType = new Map(moved.map((r) => [r.type, -Number(r.credits)]));
  const taken = (...types: string[]) => types.reduce((sum, t) => sum + (byType.get(t) ?? 0), 0);
  const granted = lot?.granted ?? 0;
  let remaining = lot?.remaining ?? 0;
  let expired = taken('expiration');
  // Past its expiry but not yet written off by the job: already lost to the customer.
  if (lot?.expiresAt && lot.expiresAt <= now && remaining > 0) {
    expired += remaining;
    remaining = 0;
  }
  const refundedCredits = taken('refund_clawback', 'refund_restore');
  const disputed = taken('dispute_clawback');
  // Everything else the lot lost went to usage and manual removals (net of reversals).
  const used = Math.max(0, granted - remaining - expired - refundedCredits - disputed);
  const localRefunded = refunds._sum.amount ?? 0;

  return {
    payment,
    lot,
    figures: {
      currency: payment.currency,
      amountPaid: payment.amount,
      granted,
      used,
      expired,
      frozen: lot?.frozen ? remaining : 0,
      refundedCredits,
      disputed,
      remaining,
      alreadyRefunded: Math.min(
        payment.amount,
        Math.max(localRefunded, payment.amountRefunded, options.stripeRefunded ?? 0),
      ),
      disputeStatus: dispute?.status ?? null,
    },
  };
}

/**
 * The locks a refund decision is taken under, in the order every other writer takes them: the
 * webhook pipeline's advisory locks on the charge and payment intent (so a refund or dispute event
 * about the same charge waits), then the customer row the ledger locks before touching any lot.
 */
export async function lockForRefund(
  tx: Tx,
  payment: Pick<Payment, 'chargeId' | 'paymentIntentId' | 'customerId'>,
  stripeRefundId: string | null = null,
): Promise<void> {
  const keys = [payment.chargeId, payment.paymentIntentId, stripeRefundId].filter((k): k is string => !!k).sort();
  await tx.$queryRaw`
    SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) AS locks
      FROM (SELECT k FROM unnest(${keys}::text[]) AS k ORDER BY k) AS ordered`;
  if (payment.customerId) {
    await tx.$queryRaw`SELECT id FROM customer WHERE id = ${payment.customerId}::uuid FOR NO KEY UPDATE`;
  }
}
