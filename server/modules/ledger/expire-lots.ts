// Credit expiry: a lot whose expiresAt has passed loses what it still holds through an
// "expiration" entry. Draws already skip expired lots, so this only makes the ledger say so (and
// the balance follow). Frozen lots wait: a dispute decides their fate first.
import type { Db } from '../../db/client.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { SYSTEM_ACTOR, type Actor } from '../../lib/actor.ts';
import type { LotEntryResult } from './clawback-lot.ts';
import { postEntry } from './post-entry.ts';

export interface ExpireLotInput {
  lotId: string;
  now?: Date;
  actor?: Actor;
  reason?: string;
}

/** Null when the lot is not due (not expired, empty, or frozen): nothing written. */
export async function expireLot(tx: DbOrTx, input: ExpireLotInput): Promise<LotEntryResult | null> {
  // Keyed on the lot's latest movement: two runs racing on the same lot post once, while credits
  // restored to an expired lot later (a reversal) expire again under a new key.
  const last = await tx.ledgerAllocation.findFirst({
    where: { lotId: input.lotId },
    orderBy: { id: 'desc' },
    select: { id: true },
  });
  const posted = await postEntry(
    tx,
    { mode: 'expire', lotId: input.lotId },
    {
      type: 'expiration',
      idempotencyKey: `expiration:${input.lotId}:${last?.id ?? 0}`,
      reason: input.reason ?? 'Credits expired',
      actor: input.actor ?? SYSTEM_ACTOR,
      reference: input.lotId,
      referenceType: 'credit_lot',
      now: input.now,
    },
  );
  if (!posted?.lot) return null;
  return { entry: posted.entry, lot: posted.lot, replayed: posted.replayed };
}

export interface ExpireDueLotsResult {
  lots: number;
  credits: number;
  /** Lots that could not be expired this run; the next run tries again. */
  failed: Array<{ lotId: string; error: string }>;
}

/** Expires every due lot, soonest expiry first, each in its own statement (no long transaction). */
export async function expireDueLots(
  db: Db,
  options: { now?: Date; batchSize?: number; actor?: Actor } = {},
): Promise<ExpireDueLotsResult> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const result: ExpireDueLotsResult = { lots: 0, credits: 0, failed: [] };
  // Expired lots drop out of the query by themselves; only lots left untouched are remembered,
  // so the loop always ends.
  const skipped: string[] = [];
  for (;;) {
    const due = await db.creditLot.findMany({
      where: { expiresAt: { lte: now }, remaining: { gt: 0 }, frozen: false, id: { notIn: skipped } },
      orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
      take: batchSize,
      select: { id: true },
    });
    if (due.length === 0) return result;
    for (const { id } of due) {
      try {
        const expired = await expireLot(db, { lotId: id, now, actor: options.actor });
        if (expired && !expired.replayed) {
          result.lots += 1;
          result.credits += -expired.entry.credits;
        } else {
          skipped.push(id);
        }
      } catch (err) {
        skipped.push(id);
        result.failed.push({ lotId: id, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
}
