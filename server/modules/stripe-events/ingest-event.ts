// Durable storage of one verified Stripe event and of this arrival of it. One SQL statement, so
// the event row and its delivery row commit together and the 2xx can follow right after. The
// delivery's outcome is final here for duplicates and ignored types; for an event applied inline
// the processing transaction overwrites it with the result (processed, deferred, failed).
import { hotQuery, type Db } from '../../db/client.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { EventStatus } from '../../generated/prisma/enums.ts';

export type EventSource = 'webhook' | 'reconciliation' | 'manual';

export interface IngestEventInput {
  event: { id: string; type: string; created: number; livemode: boolean; api_version?: string | null };
  /** The exact JSON text Stripe signed; stored as is (jsonb), never re-serialized from a parse. */
  rawJson: string;
  objectId: string | null;
  /** false: no handler for this type, stored as `ignored`. */
  handled: boolean;
  source: EventSource;
  /** Time spent on this arrival so far (verification), recorded on the delivery. */
  elapsedMs?: number;
  /** The delivering request's id: kept on a new event so its background attempts log under it. */
  requestId?: string | null;
}

export interface IngestEventResult {
  deliveryId: bigint;
  duplicate: boolean;
  /** Status after this arrival; null only when a concurrent first delivery committed meanwhile. */
  status: EventStatus | null;
}

export async function ingestEvent(db: Db, input: IngestEventInput): Promise<IngestEventResult> {
  // Every ignored type and every repeat ends here: one prepared statement straight on the pool.
  const statement = ingestStatement(input);
  const rows = await hotQuery<Omit<IngestRow, 'id'> & { id: bigint | string }>(
    db,
    'stripe_ingest_event',
    statement.text,
    statement.values,
  );
  // node-postgres reads bigint as text.
  return ingestResult(
    input,
    rows.map((r) => ({ ...r, id: BigInt(r.id) })),
  );
}

export type IngestRow = { id: bigint; duplicate: boolean; status: EventStatus | null };

export function ingestResult(input: IngestEventInput, rows: IngestRow[]): IngestEventResult {
  const row = rows[0];
  if (!row) throw new Error(`storing Stripe event ${input.event.id} returned no delivery row`);
  return { deliveryId: row.id, duplicate: row.duplicate, status: row.status };
}

/**
 * The one statement that stores an event and this arrival of it. With `lockKeys` (the event's
 * processing transaction, process-event.ts) it also takes the handler's advisory locks, sorted,
 * after the inserts, so storing and locking cost one round trip.
 */
export function ingestStatement(input: IngestEventInput, lockKeys: string[] | null = null): Prisma.Sql {
  const { event } = input;
  const initial: EventStatus = input.handled ? 'received' : 'ignored';
  const locks = lockKeys
    ? Prisma.sql`, (SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))
                    FROM (SELECT k FROM unnest(${lockKeys}::text[]) AS k ORDER BY k) AS ordered) AS locks`
    : Prisma.empty;
  // ON CONFLICT DO NOTHING waits for a concurrent insert of the same id, so two simultaneous
  // deliveries store one event and two deliveries, exactly one of them marked as the original.
  return Prisma.sql`
    WITH ins AS (
      INSERT INTO stripe_event (id, type, api_version, created, livemode, payload, object_id, status, source,
                                request_id, received_at, updated_at)
      VALUES (${event.id}, ${event.type}, ${event.api_version ?? null},
              to_timestamp(${event.created}::double precision), ${event.livemode},
              ${input.rawJson}::jsonb, ${input.objectId}, ${initial}::"EventStatus", ${input.source},
              ${input.requestId ?? null}, now(), now())
      ON CONFLICT (id) DO NOTHING
      RETURNING status
    ), del AS (
      INSERT INTO webhook_delivery (event_id, received_at, duplicate, source, outcome, duration_ms)
      SELECT ${event.id}, now(), NOT EXISTS (SELECT 1 FROM ins), ${input.source},
             CASE WHEN NOT EXISTS (SELECT 1 FROM ins) THEN 'duplicate' ELSE ${initial}::text END,
             ${input.elapsedMs === undefined ? null : Math.round(input.elapsedMs)}::int
      RETURNING id, duplicate
    )
    SELECT del.id, del.duplicate,
           COALESCE((SELECT status FROM ins), (SELECT status FROM stripe_event WHERE id = ${event.id})) AS status
           ${locks}
    FROM del`;
}
