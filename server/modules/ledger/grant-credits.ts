// Adds credits: every grant creates its own lot (source, cost basis, money paid, expiry), so later
// draws, refunds and disputes can say exactly which credits they touch.
import type { DbOrTx } from '../../db/tx.ts';
import type { CostBasis, CreditLot, LedgerEntry, LotSource } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { postEntry } from './post-entry.ts';
import { assertCredits, assertEntryText } from './validate.ts';

export type GrantType = 'grant' | 'purchase' | 'subscription_grant' | 'manual_adjustment';

export interface GrantCreditsInput {
  customerId: string;
  credits: number;
  type: GrantType;
  source: LotSource;
  costBasis: CostBasis;
  /** Money paid for the lot, integer minor units, with its currency (paid lots). */
  amountPaid?: number | null;
  currency?: string | null;
  /** The Stripe object that paid for the lot (cs_, in_, pi_). */
  stripeReference?: string | null;
  expiresAt?: Date | null;
  idempotencyKey: string;
  reason: string;
  actor: Actor;
  reference?: string | null;
  referenceType?: string | null;
  metadata?: Record<string, unknown> | null;
}

export interface GrantCreditsResult {
  entry: LedgerEntry;
  lot: CreditLot;
  replayed: boolean;
}

export async function grantCredits(tx: DbOrTx, input: GrantCreditsInput): Promise<GrantCreditsResult> {
  assertCredits(input.credits);
  assertEntryText(input);
  if (input.amountPaid != null && (!Number.isSafeInteger(input.amountPaid) || input.amountPaid < 0)) {
    throw new AppError('VALIDATION', 'amountPaid must be a whole number of minor units, 0 or more');
  }
  if ((input.amountPaid != null) !== (input.currency != null)) {
    throw new AppError('VALIDATION', 'amountPaid and currency go together');
  }
  if (input.costBasis === 'paid' && input.amountPaid == null) {
    throw new AppError('VALIDATION', 'A paid lot needs amountPaid and currency');
  }
  const posted = await postEntry(
    tx,
    {
      mode: 'grant',
      customerId: input.customerId,
      credits: input.credits,
      lot: {
        source: input.source,
        costBasis: input.costBasis,
        amountPaid: input.amountPaid ?? null,
        currency: input.currency?.toLowerCase() ?? null,
        stripeReference: input.stripeReference ?? null,
        expiresAt: input.expiresAt ?? null,
      },
    },
    { ...input, type: input.type },
  );
  if (!posted?.lot) throw new AppError('INTERNAL', 'A grant must create a lot');
  return { entry: posted.entry, lot: posted.lot, replayed: posted.replayed };
}
