// A refund request waiting for approval is rejected by a checker, or withdrawn by its maker, with a
// reason. Nothing was clawed back or sent yet, so nothing else changes.
import { statusLabel } from '../../contracts/status-words.ts';
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Refund } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

export async function rejectRefund(
  db: DbOrTx,
  input: { refundId: string; reason: string },
  actor: Actor,
): Promise<Refund> {
  if (actor.type !== 'staff' || (actor.role !== 'finance' && actor.role !== 'admin')) {
    throw new AppError('FORBIDDEN', 'Refund requests are rejected by a finance user or an admin');
  }
  const reason = input.reason.trim();
  if (reason.length < 5) throw new AppError('VALIDATION', 'Say why in a few words (5 characters or more)');
  return inTransaction(db, async (tx) => {
    const [row] = await tx.$queryRaw<
      Array<{ id: string }>
    >`SELECT id FROM refund WHERE id = ${input.refundId}::uuid FOR UPDATE`;
    const refund = row ? await tx.refund.findUnique({ where: { id: row.id } }) : null;
    if (!refund || refund.origin !== 'creditdesk') throw new AppError('NOT_FOUND', 'Refund request not found');
    if (refund.status === 'rejected' && refund.approvedBy === actor.id) return refund;
    if (refund.status !== 'pending_approval') {
      throw new AppError(
        'CONFLICT',
        `This refund request is ${statusLabel('refund', refund.status)}: only a waiting request can be rejected`,
      );
    }
    const rejected = await tx.refund.update({
      where: { id: refund.id },
      // approvedBy records who decided, either way.
      data: { status: 'rejected', approvedBy: actor.id, error: `Rejected: ${reason}` },
    });
    await recordAudit(tx, {
      actor,
      action: refund.requestedBy === actor.id ? 'refund.withdraw' : 'refund.reject',
      targetType: 'refund',
      targetId: refund.id,
      customerId: refund.customerId,
      before: { status: refund.status },
      after: { status: rejected.status },
      reason,
    });
    return rejected;
  });
}
