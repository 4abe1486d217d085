// The failed and deferred queues, grouped by cause: one row per status and error ("unknown price
// price_x", "no customer"...) with how many events wait on it, since when, and their ids, so
// support fixes a cause once and reprocesses its events together.
import type { DbOrTx } from '../../db/tx.ts';
import { unknownPricesIn } from '../catalog/find-events-waiting-on-prices.ts';

const MAX_IDS = 50;

interface GroupRow {
  status: 'failed' | 'deferred';
  last_error: string | null;
  events: number;
  first_ms: number;
  last_ms: number;
  ids: string[];
}

export async function listFailureGroups(db: DbOrTx) {
  const rows = await db.$queryRaw<GroupRow[]>`
    SELECT status::text AS status, last_error, count(*)::int AS events,
           (extract(epoch FROM min(created)) * 1000)::float8 AS first_ms,
           (extract(epoch FROM max(created)) * 1000)::float8 AS last_ms,
           (array_agg(id ORDER BY created, id))[1:${MAX_IDS}] AS ids
      FROM stripe_event
     WHERE status IN ('failed', 'deferred')
     GROUP BY status, last_error
     ORDER BY count(*) DESC, max(created) DESC
     LIMIT 100`;
  return rows.map((r) => ({
    status: r.status,
    error: r.last_error,
    events: r.events,
    firstAt: new Date(r.first_ms),
    lastAt: new Date(r.last_ms),
    eventIds: r.ids,
    /** Set when the cause is a price the catalog does not map: the mapping helper fixes it. */
    unknownPrice: unknownPricesIn(r.last_error)[0] ?? null,
  }));
}

/** Event types seen, for the type filter. */
export async function listEventTypes(db: DbOrTx) {
  const rows = await db.stripeEvent.groupBy({ by: ['type'], _count: { _all: true }, orderBy: { type: 'asc' } });
  return rows.map((r) => ({ type: r.type, events: r._count._all }));
}
