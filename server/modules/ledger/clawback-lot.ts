// Takes credits back from one lot after a refund or a lost dispute. The lot is named because the
// money came back for those credits; usage drawn from other lots stays where it is.
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditLot, LedgerEntry } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { postEntry } from './post-entry.ts';
import { assertCredits, assertEntryText } from './validate.ts';

export interface ClawbackLotInput {
  lotId: string;
  /** At most the lot's remaining credits (UNPROCESSABLE otherwise), unless upToRemaining. */
  credits: number;
  type: 'refund_clawback' | 'dispute_clawback';
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  /** Take min(credits, remaining), decided under the lock; null when the lot is already empty. */
  upToRemaining?: boolean;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface LotEntryResult {
  entry: LedgerEntry;
  lot: CreditLot;
  replayed: boolean;
}

export async function clawbackLot(
  tx: DbOrTx,
  input: ClawbackLotInput & { upToRemaining: true },
): Promise<LotEntryResult | null>;
export async function clawbackLot(tx: DbOrTx, input: ClawbackLotInput): Promise<LotEntryResult>;
export async function clawbackLot(tx: DbOrTx, input: ClawbackLotInput): Promise<LotEntryResult | null> {
  assertCredits(input.credits);
  assertEntryText(input);
  const posted = await postEntry(
    tx,
    { mode: 'lots', changes: [{ lotId: input.lotId, credits: -input.credits }], cap: input.upToRemaining ?? false },
    input,
  );
  if (!posted) return null;
  if (!posted.lot) throw new AppError('INTERNAL', 'A clawback names its lot');
  return { entry: posted.entry, lot: posted.lot, replayed: posted.replayed };
}
