// Takes credits from a customer's lots in the stated draw-down order: soonest expiry first (lots
// that never expire last), then free before paid, then oldest. Frozen and expired lots are skipped.
// The allocations of the entry record which lots gave how much, in that order.
import type { DbOrTx } from '../../db/tx.ts';
import type { LedgerAllocation, LedgerEntry } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { postEntry } from './post-entry.ts';
import { assertCredits, assertEntryText } from './validate.ts';

export type ConsumeType = 'usage' | 'manual_adjustment' | 'expiration';

export interface ConsumeCreditsInput {
  customerId: string;
  credits: number;
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  type?: ConsumeType;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
  /** Refuse with BLOCKED when the customer is blocked (checked under the row lock). */
  requireActive?: boolean;
  /** Clock for "expired" (tests); the database clock otherwise. */
  now?: Date;
}

export interface ConsumeCreditsResult {
  entry: LedgerEntry;
  allocations: LedgerAllocation[];
  replayed: boolean;
}

/**
 * Throws AppError INSUFFICIENT_CREDITS (nothing written) when the spendable credits do not cover
 * `credits`. Safe to call with the root client: the whole check-and-write is one statement.
 */
export async function consumeCredits(tx: DbOrTx, input: ConsumeCreditsInput): Promise<ConsumeCreditsResult> {
  assertCredits(input.credits);
  assertEntryText(input);
  const posted = await postEntry(
    tx,
    { mode: 'draw', customerId: input.customerId, credits: input.credits },
    { ...input, type: input.type ?? 'usage' },
  );
  if (!posted) throw new AppError('INTERNAL', 'A draw always posts or fails');
  return { entry: posted.entry, allocations: posted.allocations, replayed: posted.replayed };
}
