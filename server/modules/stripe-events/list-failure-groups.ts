// The failed and deferred queues, grouped by cause: one row per status, cause code and detail
// (unknown_price of price_x, customer_unknown...) with how many events wait on it, since when, and
// their ids, so support fixes a cause once and reprocesses its events together. Internal and Stripe
// errors group by code alone (their detail is a per-attempt correlation id); old rows without a
// cause group by their words.
import type { DbOrTx } from '../../db/tx.ts';
import { readEventCause, unknownPriceOf } from '../../contracts/event-causes.ts';

const MAX_IDS = 50;

interface GroupRow {
  status: 'failed' | 'deferred';
  cause: string | null;
  cause_detail: unknown;
  last_error: string | null;
  events: number;
  first_ms: number;
  last_ms: number;
  ids: string[];
}

export async function listFailureGroups(db: DbOrTx) {
  const rows = await db.$queryRaw<GroupRow[]>`
    SELECT status::text AS status, cause, (array_agg(cause_detail ORDER BY created DESC, id DESC))[1] AS cause_detail,
           (array_agg(last_error ORDER BY created DESC, id DESC))[1] AS last_error,
           count(*)::int AS events,
           (extract(epoch FROM min(created)) * 1000)::float8 AS first_ms,
           (extract(epoch FROM max(created)) * 1000)::float8 AS last_ms,
           (array_agg(id ORDER BY created, id))[1:${MAX_IDS}] AS ids
      FROM stripe_event
     WHERE status IN ('failed', 'deferred')
     GROUP BY status, cause,
              CASE WHEN cause IN ('internal_error', 'stripe_error') THEN NULL ELSE cause_detail::text END,
              CASE WHEN cause IS NULL THEN last_error END
     ORDER BY count(*) DESC, max(created) DESC
     LIMIT 100`;
  return rows.map((r) => {
    const cause = readEventCause(r.cause, r.cause_detail);
    return {
      status: r.status,
      /** The cause in words (of the newest event in the group). */
      error: r.last_error,
      cause,
      events: r.events,
      firstAt: new Date(r.first_ms),
      lastAt: new Date(r.last_ms),
      eventIds: r.ids,
      /** Set when the cause is a price the catalog does not map: the mapping helper fixes it. */
      unknownPrice: unknownPriceOf(cause),
    };
  });
}

/** Event types seen, for the type filter. */
export async function listEventTypes(db: DbOrTx) {
  const rows = await db.stripeEvent.groupBy({ by: ['type'], _count: { _all: true }, orderBy: { type: 'asc' } });
  return rows.map((r) => ({ type: r.type, events: r._count._all }));
}
