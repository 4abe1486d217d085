// The dispute page: the dispute and its deadline, the disputed charge and its credits, the
// customer with their payment and dispute history (and how close they are to the auto-block
// rule), and the evidence pack: the saved one, or a freshly assembled one until staff save it.
import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import { getRules } from '../catalog/get-rules.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { disputeDue } from './dispute-state.ts';
import { packHash, readStoredEvidence } from './evidence-store.ts';

const DAY_MS = 86_400_000;

export async function getDispute(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const now = input.now ?? new Date();
  const dispute = await db.dispute.findUnique({
    where: { id: input.disputeId },
    include: { payment: true, customer: true },
  });
  if (!dispute) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
  const { payment, customer, evidence, ...row } = dispute;
  const rules = await getRules(db);
  const windowStart = new Date(now.getTime() - rules.autoBlockWindowDays * DAY_MS);

  const [lot, otherDisputes, payments, stored] = await Promise.all([
    payment?.lotId ? db.creditLot.findUnique({ where: { id: payment.lotId } }) : null,
    customer
      ? db.dispute.findMany({
          where: { customerId: customer.id, id: { not: dispute.id } },
          orderBy: { stripeCreated: 'desc' },
          take: 20,
          select: {
            id: true,
            status: true,
            reason: true,
            amount: true,
            currency: true,
            stripeCreated: true,
            outcome: true,
            chargeId: true,
          },
        })
      : [],
    customer
      ? db.payment.findMany({
          where: { customerId: customer.id },
          orderBy: [{ paidAt: 'desc' }, { createdAt: 'desc' }],
          take: 20,
          include: { disputes: { select: { id: true } } },
        })
      : [],
    Promise.resolve(readStoredEvidence(evidence)),
  ]);

  // Until staff save or stage, the pack follows the data (new usage shows up on reload).
  let pack = stored;
  let packError: string | null = null;
  if (!pack) {
    try {
      pack = { ...(await assembleEvidencePack(db, { disputeId: dispute.id, now })), stagedHash: null };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      packError = err.message;
    }
  }
  const disputesInWindow =
    otherDisputes.filter((d) => d.stripeCreated >= windowStart).length + (row.stripeCreated >= windowStart ? 1 : 0);

  return {
    dispute: row,
    due: disputeDue(row, now),
    payment,
    lot: lot && { id: lot.id, granted: lot.granted, remaining: lot.remaining, frozen: lot.frozen },
    customer,
    history: {
      disputes: otherDisputes,
      payments: payments.map(({ disputes, ...p }) => ({ ...p, disputed: disputes.length > 0 })),
      disputesInWindow,
      rule: { autoBlockDisputes: rules.autoBlockDisputes, autoBlockWindowDays: rules.autoBlockWindowDays },
    },
    pack: pack && { ...pack, stagedHash: undefined },
    packSaved: !!stored,
    packError,
    /** Edited (or re-assembled) since it was staged: staging again is needed before submitting. */
    changedSinceStaged: !!(stored && row.stagedAt && stored.stagedHash !== packHash(stored)),
  };
}
