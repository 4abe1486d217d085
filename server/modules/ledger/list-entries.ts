// Ledger entries of one customer, newest first, each with its per-lot allocations in draw order.
// Paged by the entry id: ids only grow, so "older than the last id shown" is a keyset that an
// entry posted while someone pages cannot shift (it lands on page one).
import type { DbOrTx } from '../../db/tx.ts';
import type { LedgerEntryType } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';

export interface ListEntriesInput {
  customerId: string;
  cursor?: string | null;
  pageSize?: number;
  types?: LedgerEntryType[];
  lotId?: string;
}

function decodeEntryCursor(cursor: string | null | undefined): bigint | null {
  if (!cursor) return null;
  if (!/^[0-9]{1,19}$/.test(cursor)) {
    throw new AppError('VALIDATION', 'This list link is out of date (bad page cursor); open the list again.');
  }
  return BigInt(cursor);
}

export async function listLedgerEntries(db: DbOrTx, input: ListEntriesInput) {
  const pageSize = Math.min(200, Math.max(1, input.pageSize ?? 25));
  const before = decodeEntryCursor(input.cursor);
  const where = {
    customerId: input.customerId,
    ...(input.types?.length ? { type: { in: input.types } } : {}),
    ...(input.lotId ? { OR: [{ lotId: input.lotId }, { allocations: { some: { lotId: input.lotId } } }] } : {}),
  };
  const [rows, total] = await Promise.all([
    db.ledgerEntry.findMany({
      where: before === null ? where : { ...where, id: { lt: before } },
      orderBy: { id: 'desc' },
      take: pageSize + 1,
      include: { allocations: { orderBy: { position: 'asc' } } },
    }),
    db.ledgerEntry.count({ where }),
  ]);
  const items = rows.slice(0, pageSize);
  const last = items.at(-1);
  return { items, total, pageSize, nextCursor: rows.length > pageSize && last ? String(last.id) : null };
}
