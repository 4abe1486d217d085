// Gives back the credits of a use that failed downstream (the generation crashed, the model timed
// out). Once: a second call changes nothing and says so (alreadyReversed).
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { reverseEntry, reversalKey } from './reverse-entry.ts';

export interface ReverseUsageResult {
  usageId: string;
  /** Credits returned by the reversal. */
  credits: number;
  balance: number;
  alreadyReversed: boolean;
}

export async function reverseUsage(
  db: DbOrTx,
  input: { idempotencyKey: string; reason: string; actor: Actor },
): Promise<ReverseUsageResult> {
  if (!input.reason.trim()) throw new AppError('VALIDATION', 'A reason is required');
  const usage = await db.usage.findUnique({ where: { idempotencyKey: input.idempotencyKey } });
  if (!usage) throw new AppError('NOT_FOUND', `No usage with idempotencyKey "${input.idempotencyKey}"`);

  if (usage.status === 'reversed') {
    const entry = usage.entryId
      ? await db.ledgerEntry.findUnique({ where: { idempotencyKey: reversalKey(usage.entryId) } })
      : null;
    const balance =
      entry?.balanceAfter ?? (await db.customer.findUniqueOrThrow({ where: { id: usage.customerId } })).balance;
    return { usageId: usage.id, credits: usage.credits, balance, alreadyReversed: true };
  }

  return inTransaction(db, async (tx) => {
    let balance: number;
    let replayed = false;
    if (usage.entryId !== null) {
      const reversal = await reverseEntry(tx, {
        entryId: usage.entryId,
        reason: input.reason,
        actor: input.actor,
        reference: usage.id,
        referenceType: 'usage',
      });
      balance = reversal.entry.balanceAfter;
      replayed = reversal.replayed;
    } else {
      balance = (await tx.customer.findUniqueOrThrow({ where: { id: usage.customerId } })).balance;
    }
    // Only the first reversal flips the status (a concurrent one finds it already flipped).
    const flipped = await tx.usage.updateMany({
      where: { id: usage.id, status: 'consumed' },
      data: { status: 'reversed', reversedAt: new Date(), reverseReason: input.reason },
    });
    return { usageId: usage.id, credits: usage.credits, balance, alreadyReversed: replayed || flipped.count === 0 };
  });
}
