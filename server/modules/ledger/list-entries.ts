// Ledger entries of one customer, newest first, server-paginated, each with its per-lot
// allocations in draw order.
import type { DbOrTx } from '../../db/tx.ts';
import type { LedgerEntryType } from '../../generated/prisma/client.ts';

export interface ListEntriesInput {
  customerId: string;
  page?: number;
  pageSize?: number;
  types?: LedgerEntryType[];
  lotId?: string;
}

export async function listLedgerEntries(db: DbOrTx, input: ListEntriesInput) {
  const page = Math.max(1, input.page ?? 1);
  const pageSize = Math.min(200, Math.max(1, input.pageSize ?? 25));
  const where = {
    customerId: input.customerId,
    ...(input.types?.length ? { type: { in: input.types } } : {}),
    ...(input.lotId ? { OR: [{ lotId: input.lotId }, { allocations: { some: { lotId: input.lotId } } }] } : {}),
  };
  const [items, total] = await Promise.all([
    db.ledgerEntry.findMany({
      where,
      orderBy: { id: 'desc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
      include: { allocations: { orderBy: { position: 'asc' } } },
    }),
    db.ledgerEntry.count({ where }),
  ]);
  return { items, total, page, pageSize };
}
