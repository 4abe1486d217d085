// Staff grants and manual adjustments, from the customer page. Positive amounts create a free lot
// (source "manual"); negative amounts draw like usage does. The entry and its audit record commit
// together, and the staff member's key makes a double-click harmless.
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { LedgerEntry } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { consumeCredits } from './consume-credits.ts';
import { grantCredits } from './grant-credits.ts';

export interface AdjustCreditsInput {
  customerId: string;
  /** Signed: positive adds a lot, negative takes credits in draw-down order. */
  credits: number;
  /** "grant" (goodwill, promo: positive only) or "adjustment" (a correction either way). */
  kind: 'grant' | 'adjustment';
  reason: string;
  idempotencyKey: string;
  actor: Actor;
  expiresAt?: Date | null;
  reference?: string | null;
}

export async function adjustCredits(
  db: DbOrTx,
  input: AdjustCreditsInput,
): Promise<{ entry: LedgerEntry; replayed: boolean }> {
  if (!Number.isSafeInteger(input.credits) || input.credits === 0) {
    throw new AppError('VALIDATION', 'credits must be a whole number other than 0');
  }
  if (input.kind === 'grant' && input.credits < 0) {
    throw new AppError('VALIDATION', 'A grant adds credits; use an adjustment to remove them');
  }
  return inTransaction(db, async (tx) => {
    // The entry points at the ticket when there is one, otherwise at the staff member who acted.
    const reference = input.reference
      ? { reference: input.reference, referenceType: 'ticket' }
      : input.actor.type === 'staff'
        ? { reference: input.actor.id, referenceType: 'staff' }
        : {};
    const common = {
      customerId: input.customerId,
      idempotencyKey: input.idempotencyKey,
      reason: input.reason,
      actor: input.actor,
      ...reference,
    };
    const { entry, replayed } =
      input.credits > 0
        ? await grantCredits(tx, {
            ...common,
            credits: input.credits,
            type: input.kind === 'grant' ? 'grant' : 'manual_adjustment',
            source: 'manual',
            costBasis: 'free',
            expiresAt: input.expiresAt ?? null,
          })
        : await consumeCredits(tx, { ...common, credits: -input.credits, type: 'manual_adjustment' });
    if (!replayed) {
      await recordAudit(tx, {
        actor: input.actor,
        action: input.kind === 'grant' ? 'ledger.grant' : 'ledger.adjust',
        targetType: 'ledger_entry',
        targetId: entry.id.toString(),
        customerId: input.customerId,
        after: { credits: entry.credits, balanceAfter: entry.balanceAfter, lotId: entry.lotId },
        reason: input.reason,
      });
    }
    return { entry, replayed };
  });
}
