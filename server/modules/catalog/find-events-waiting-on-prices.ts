// Stored Stripe events that could not be applied because the catalog did not know a price
// ("unknown price price_..."), grouped by that price: what mapping the price would unblock. Failed
// events wait for a person; deferred ones are retried by the job but fail the same way until the
// price is mapped. The failed queue is small, so reading its errors is cheap.
import type { DbOrTx } from '../../db/tx.ts';

const UNKNOWN_PRICE = /unknown price (price_[A-Za-z0-9_]+)/g;

export interface WaitingEvents {
  eventIds: string[];
  /** Customers the waiting events are linked to (events of unknown customers are not counted). */
  customerIds: string[];
  lastAt: Date | null;
}

/** The price ids an event error names as unknown. */
export function unknownPricesIn(error: string | null): string[] {
  if (!error) return [];
  return [...new Set([...error.matchAll(UNKNOWN_PRICE)].map((m) => m[1]!))];
}

/** Waiting events per unknown price; `priceIds` narrows to those prices (all when omitted). */
export async function findEventsWaitingOnPrices(
  db: DbOrTx,
  priceIds?: readonly string[],
): Promise<Map<string, WaitingEvents>> {
  const wanted = priceIds ? new Set(priceIds) : null;
  const rows = await db.stripeEvent.findMany({
    where: {
      status: { in: ['failed', 'deferred'] },
      lastError: wanted?.size === 1 ? { contains: `unknown price ${[...wanted][0]}` } : { contains: 'unknown price' },
    },
    select: { id: true, customerId: true, lastError: true, created: true },
    orderBy: [{ created: 'asc' }, { id: 'asc' }],
  });
  const out = new Map<string, WaitingEvents>();
  for (const row of rows) {
    for (const price of unknownPricesIn(row.lastError)) {
      if (wanted && !wanted.has(price)) continue;
      const entry = out.get(price) ?? { eventIds: [], customerIds: [], lastAt: null };
      entry.eventIds.push(row.id);
      if (row.customerId && !entry.customerIds.includes(row.customerId)) entry.customerIds.push(row.customerId);
      if (!entry.lastAt || row.created > entry.lastAt) entry.lastAt = row.created;
      out.set(price, entry);
    }
  }
  return out;
}
