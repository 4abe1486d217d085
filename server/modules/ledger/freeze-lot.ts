// Freezing a lot (a dispute opened on the payment behind it) keeps its credits in the balance but
// out of reach of draws until it is released or clawed back. Both write a 0-credit entry so the
// timeline shows when and why.
import type { DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import type { LotEntryResult } from './clawback-lot.ts';
import { postEntry } from './post-entry.ts';
import { assertEntryText } from './validate.ts';

export interface FreezeLotInput {
  lotId: string;
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** CONFLICT when the lot is already frozen (under another key). */
export async function freezeLot(tx: DbOrTx, input: FreezeLotInput): Promise<LotEntryResult> {
  return toggle(tx, 'freeze', input);
}

/** CONFLICT when the lot is not frozen (under another key). */
export async function releaseLot(tx: DbOrTx, input: FreezeLotInput): Promise<LotEntryResult> {
  return toggle(tx, 'release', input);
}

async function toggle(tx: DbOrTx, mode: 'freeze' | 'release', input: FreezeLotInput): Promise<LotEntryResult> {
  assertEntryText(input);
  const posted = await postEntry(
    tx,
    { mode, lotId: input.lotId },
    { ...input, type: mode === 'freeze' ? 'dispute_freeze' : 'dispute_release' },
  );
  if (!posted?.lot) throw new AppError('INTERNAL', `A ${mode} names its lot`);
  return { entry: posted.entry, lot: posted.lot, replayed: posted.replayed };
}
