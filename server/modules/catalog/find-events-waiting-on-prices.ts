// Stored Stripe events that could not be applied because the catalog did not know a price (cause
// `unknown_price`, detail.priceId), grouped by that price: what mapping the price would unblock.
// Failed events wait for a person; deferred ones are retried by the job but fail the same way until
// the price is mapped. Read by cause code and detail (indexed on cause, status), never by the words.
import type { DbOrTx } from '../../db/tx.ts';
import { readEventCause, unknownPriceOf } from '../../contracts/event-causes.ts';

export interface WaitingEvents {
  eventIds: string[];
  /** Customers the waiting events are linked to (events of unknown customers are not counted). */
  customerIds: string[];
  lastAt: Date | null;
}

/** Waiting events per unknown price; `priceIds` narrows to those prices (all when omitted). */
export async function findEventsWaitingOnPrices(
  db: DbOrTx,
  priceIds?: readonly string[],
): Promise<Map<string, WaitingEvents>> {
  const wanted = priceIds ? new Set(priceIds) : null;
  const rows = await db.stripeEvent.findMany({
    where: {
      cause: 'unknown_price',
      status: { in: ['failed', 'deferred'] },
      ...(wanted ? { OR: [...wanted].map((id) => ({ causeDetail: { path: ['priceId'], equals: id } })) } : {}),
    },
    select: { id: true, customerId: true, cause: true, causeDetail: true, created: true },
    orderBy: [{ created: 'asc' }, { id: 'asc' }],
  });
  const out = new Map<string, WaitingEvents>();
  for (const row of rows) {
    const price = unknownPriceOf(readEventCause(row.cause, row.causeDetail));
    if (!price || (wanted && !wanted.has(price))) continue;
    const entry = out.get(price) ?? { eventIds: [], customerIds: [], lastAt: null };
    entry.eventIds.push(row.id);
    if (row.customerId && !entry.customerIds.includes(row.customerId)) entry.customerIds.push(row.customerId);
    if (!entry.lastAt || row.created > entry.lastAt) entry.lastAt = row.created;
    out.set(price, entry);
  }
  return out;
}
