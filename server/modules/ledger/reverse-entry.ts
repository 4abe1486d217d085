// Undoes a draw (usage that failed downstream, a mistaken negative adjustment): every lot gets
// back exactly what the entry took from it. The key is derived from the entry, so reversing twice
// is always a replay, whoever asks.
import type { DbOrTx } from '../../db/tx.ts';
import type { LedgerAllocation, LedgerEntry } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { postEntry } from './post-entry.ts';
import { assertEntryText } from './validate.ts';

const REVERSIBLE = new Set<LedgerEntry['type']>(['usage', 'manual_adjustment']);

export interface ReverseEntryInput {
  entryId: bigint;
  reason: string;
  actor: Actor;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface ReverseEntryResult {
  entry: LedgerEntry;
  allocations: LedgerAllocation[];
  replayed: boolean;
}

export function reversalKey(entryId: bigint): string {
  return `reversal:${entryId}`;
}

export async function reverseEntry(tx: DbOrTx, input: ReverseEntryInput): Promise<ReverseEntryResult> {
  const idempotencyKey = reversalKey(input.entryId);
  assertEntryText({ reason: input.reason, idempotencyKey });
  const original = await tx.ledgerEntry.findUnique({
    where: { id: input.entryId },
    include: { allocations: { orderBy: { position: 'asc' } } },
  });
  if (!original) throw new AppError('NOT_FOUND', `Ledger entry ${input.entryId} not found`);
  if (!REVERSIBLE.has(original.type) || original.credits >= 0 || original.allocations.length === 0) {
    throw new AppError('UNPROCESSABLE', `A ${original.type} entry of ${original.credits} credits cannot be reversed`);
  }
  const posted = await postEntry(
    tx,
    { mode: 'lots', changes: original.allocations.map((a) => ({ lotId: a.lotId, credits: -a.credits })) },
    {
      type: 'reversal',
      idempotencyKey,
      reason: input.reason,
      actor: input.actor,
      reference: input.reference ?? original.id.toString(),
      referenceType: input.referenceType ?? 'ledger_entry',
      metadata: { ...input.metadata, reversedEntryId: original.id.toString() },
    },
  );
  if (!posted) throw new AppError('INTERNAL', 'A reversal always posts or fails');
  return { entry: posted.entry, allocations: posted.allocations, replayed: posted.replayed };
}
