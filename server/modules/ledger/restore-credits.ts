// Gives credits back to the lot they came from (a refund that failed after its clawback, or a
// reversal). A lot never holds more than it was granted: UNPROCESSABLE if the restore would.
import type { DbOrTx } from '../../db/tx.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import type { LotEntryResult } from './clawback-lot.ts';
import { postEntry } from './post-entry.ts';
import { assertCredits, assertEntryText } from './validate.ts';

export interface RestoreCreditsInput {
  lotId: string;
  credits: number;
  type: 'refund_restore' | 'reversal';
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
}

export async function restoreCredits(tx: DbOrTx, input: RestoreCreditsInput): Promise<LotEntryResult> {
  assertCredits(input.credits);
  assertEntryText(input);
  const posted = await postEntry(
    tx,
    { mode: 'lots', changes: [{ lotId: input.lotId, credits: input.credits }] },
    input,
  );
  if (!posted?.lot) throw new AppError('INTERNAL', 'A restore names its lot');
  return { entry: posted.entry, lot: posted.lot, replayed: posted.replayed };
}
