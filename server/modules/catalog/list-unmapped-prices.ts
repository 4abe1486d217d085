// The Stripe price mapping helper: prices Stripe has told us about that the catalog does not map,
// so "unknown price" failures can be fixed at the source. Sources: price ids anywhere in stored
// event payloads (subscription items, invoice lines, embedded line items), the ids named by
// failed events' errors (line items listed from Stripe are not in the payload), and, with a Stripe
// connection, the account's active prices. Each comes with the failed or deferred events waiting on
// it. Mapped prices whose failed events still wait are listed apart: they only need a reprocess.
import type Stripe from 'stripe';
import type { DbOrTx } from '../../db/tx.ts';
import { detailsOf, storedPriceObjects, suggestedKindOf, type PriceDetails } from './describe-prices.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';

const DAY_MS = 86_400_000;
const MAX_STRIPE_PRICES = 300;
const MAX_ROWS = 200;

export interface UnmappedPrice {
  priceId: string;
  /** Stored events (within the window) whose payload names the price. */
  seenInEvents: number;
  lastSeenAt: Date | null;
  /** Distinct customers those events are linked to. */
  customers: number;
  waitingEventIds: string[];
  inStripe: boolean;
  details: PriceDetails | null;
  /** A recurring price sells a plan, a one-time price a credit pack. */
  suggestedKind: 'plan' | 'pack' | null;
}

export interface UnmappedPrices {
  since: Date;
  items: UnmappedPrice[];
  /** Mapped since they failed: the waiting events only need a reprocess. */
  mappedWaiting: Array<{ priceId: string; owner: string; waitingEventIds: string[] }>;
  stripe: { checked: boolean; error: string | null };
}

interface SeenRow {
  price_id: string;
  events: number;
  customers: number;
  last_seen_ms: number | null;
}

export async function listUnmappedPrices(
  db: DbOrTx,
  input: { stripe?: Stripe | null; days?: number; now?: Date } = {},
): Promise<UnmappedPrices> {
  const now = input.now ?? new Date();
  const since = new Date(now.getTime() - (input.days ?? 90) * DAY_MS);
  const sinceIso = since.toISOString();

  // Every "price" in each payload, once per event: an expanded price object (line items,
  // subscription items) or a price id (invoice lines' pricing.price_details.price). Other strings
  // that merely start with "price_" (pricing.type = "price_details") are not prices.
  const seen = await db.$queryRaw<SeenRow[]>`
    SELECT s.price_id,
           count(*)::int AS events,
           count(DISTINCT s.customer_id)::int AS customers,
           (extract(epoch FROM max(s.created)) * 1000)::float8 AS last_seen_ms
      FROM (
        SELECT DISTINCT e.id, e.created, e.customer_id,
               CASE jsonb_typeof(p.v) WHEN 'string' THEN p.v #>> '{}' WHEN 'object' THEN p.v ->> 'id' END AS price_id
          FROM stripe_event e
          CROSS JOIN LATERAL jsonb_path_query(e.payload, 'lax $.**.price') AS p(v)
         WHERE e.created >= ${sinceIso}::timestamptz
      ) s
     WHERE s.price_id ~ '^price_[A-Za-z0-9_]+$'
       AND NOT EXISTS (SELECT 1 FROM catalog_price c WHERE c.stripe_price_id = s.price_id)
     GROUP BY s.price_id
     ORDER BY max(s.created) DESC
     LIMIT ${MAX_ROWS}`;

  const [waiting, mappedRows] = await Promise.all([
    findEventsWaitingOnPrices(db),
    db.catalogPrice.findMany({ select: { stripePriceId: true, planKey: true, packKey: true } }),
  ]);
  const owners = new Map(
    mappedRows.map((r) => [r.stripePriceId, r.planKey ? `plan:${r.planKey}` : `pack:${r.packKey ?? ''}`]),
  );

  const byId = new Map<string, UnmappedPrice>();
  const entry = (priceId: string): UnmappedPrice => {
    let row = byId.get(priceId);
    if (!row) {
      row = {
        priceId,
        seenInEvents: 0,
        lastSeenAt: null,
        customers: 0,
        waitingEventIds: [],
        inStripe: false,
        details: null,
        suggestedKind: null,
      };
      byId.set(priceId, row);
    }
    return row;
  };
  for (const row of seen) {
    const e = entry(row.price_id);
    e.seenInEvents = row.events;
    e.customers = row.customers;
    e.lastSeenAt = row.last_seen_ms === null ? null : new Date(row.last_seen_ms);
  }
  const mappedWaiting: UnmappedPrices['mappedWaiting'] = [];
  for (const [priceId, events] of waiting) {
    const owner = owners.get(priceId);
    if (owner) {
      mappedWaiting.push({ priceId, owner, waitingEventIds: events.eventIds });
      continue;
    }
    const e = entry(priceId);
    e.waitingEventIds = events.eventIds;
    e.customers = Math.max(e.customers, events.customerIds.length);
    if (events.lastAt && (!e.lastSeenAt || events.lastAt > e.lastSeenAt)) e.lastSeenAt = events.lastAt;
  }

  const stripe = { checked: false, error: null as string | null };
  if (input.stripe) {
    try {
      let n = 0;
      for await (const price of input.stripe.prices.list({ active: true, limit: 100 })) {
        if (++n > MAX_STRIPE_PRICES) break;
        if (owners.has(price.id)) continue;
        const e = entry(price.id);
        e.inStripe = true;
        e.details = detailsOf(price);
      }
      stripe.checked = true;
    } catch (err) {
      stripe.error = err instanceof Error ? err.message : String(err);
    }
  }

  // Details for prices Stripe did not describe: the newest price object an event carried.
  const undescribed = [...byId.values()].filter((p) => !p.details).map((p) => p.priceId);
  for (const [id, details] of await storedPriceObjects(db, undescribed, since)) byId.get(id)!.details = details;

  const items = [...byId.values()];
  for (const p of items) p.suggestedKind = suggestedKindOf(p.details);
  items.sort(
    (a, b) =>
      b.waitingEventIds.length - a.waitingEventIds.length ||
      (b.lastSeenAt?.getTime() ?? 0) - (a.lastSeenAt?.getTime() ?? 0) ||
      (a.priceId < b.priceId ? -1 : 1),
  );
  mappedWaiting.sort((a, b) => b.waitingEventIds.length - a.waitingEventIds.length);
  return { since, items, mappedWaiting, stripe };
}
