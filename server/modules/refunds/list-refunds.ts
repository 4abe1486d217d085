// The Refunds page: requests waiting for approval (with the figures as they stand now, so the
// checker approves what is true today) and the history of every refund, newest first, paged by a
// (createdAt, id) cursor. Staff ids are shown with their email.
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma, RefundStatus } from '../../generated/prisma/client.ts';
import { calculateRefund, clawbackCreditsFor, clawbackFormulaFor, type RefundCalculation } from './calculate-refund.ts';
import { loadRefundFigures } from './load-refund-figures.ts';

export interface ListRefundsInput {
  view: 'awaiting' | 'history';
  status?: RefundStatus | null;
  customerId?: string | null;
  cursor?: string | null;
  limit?: number;
}

function decodeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  return id && !Number.isNaN(date.getTime()) ? { at: date, id } : null;
}

export async function listRefunds(db: DbOrTx, input: ListRefundsInput) {
  const limit = Math.min(100, Math.max(1, input.limit ?? 25));
  const after = decodeCursor(input.cursor);
  const where: Prisma.RefundWhereInput = {
    ...(input.view === 'awaiting' ? { status: 'pending_approval' } : input.status ? { status: input.status } : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
    ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
  };
  const rows = await db.refund.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    include: {
      customer: { select: { id: true, email: true, externalId: true } },
      payment: {
        select: {
          id: true,
          kind: true,
          catalogKey: true,
          amount: true,
          chargeId: true,
          paymentIntentId: true,
          invoiceId: true,
          checkoutSessionId: true,
        },
      },
    },
  });
  const page = rows.slice(0, limit);
  const staffIds = [...new Set(page.flatMap((r) => [r.requestedBy, r.approvedBy]).filter((x): x is string => !!x))];
  const staff = staffIds.length
    ? await db.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, email: true } })
    : [];
  const emailOf = new Map(staff.map((s) => [s.id, s.email]));
  const items = await Promise.all(
    page.map(async (r) => {
      let current: RefundCalculation | null = null;
      if (r.status === 'pending_approval' && r.paymentId) {
        current = calculateRefund((await loadRefundFigures(db, r.paymentId)).figures);
      }
      return {
        id: r.id,
        status: r.status,
        origin: r.origin,
        amount: r.amount,
        currency: r.currency,
        reason: r.reason,
        stripeReason: r.stripeReason,
        stripeRefundId: r.stripeRefundId,
        creditsClawedBack: r.creditsClawedBack,
        error: r.error,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        requestedBy: r.requestedBy ? { id: r.requestedBy, email: emailOf.get(r.requestedBy) ?? null } : null,
        decidedBy: r.approvedBy ? { id: r.approvedBy, email: emailOf.get(r.approvedBy) ?? null } : null,
        customer: r.customer,
        payment: r.payment,
        calculation: r.calculation as unknown as
          (RefundCalculation & { amount: number; creditsForAmount: number }) | null,
        current,
        /** What approving now would take back (the figures as they stand, for this amount). */
        currentCredits: current ? clawbackCreditsFor(current, r.amount) : null,
        /** How this request's amount becomes those credits, with its own numbers. */
        currentRequestFormula: current ? clawbackFormulaFor(current, r.amount) : null,
      };
    }),
  );
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url')
        : null,
  };
}
