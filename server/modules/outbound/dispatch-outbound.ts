// The outbound queue, run by the outbound-dispatch job: fan new events out to the endpoints
// subscribed to them, then send every due delivery. At least once: a delivery is claimed for a
// minute; a worker that dies mid-send leaves it to be claimed and sent again, and receivers dedupe
// on the event id. Fan-out is exactly once per event: the event row is locked, its deliveries
// inserted and it is marked fanned out in one statement.
import type { Db } from '../../db/client.ts';
import type { OutboundEnvelope, OutboundEventType } from '../../contracts/outbound.ts';
import {
  Prisma,
  type OutboundDelivery,
  type OutboundEndpoint,
  type OutboundEvent,
} from '../../generated/prisma/client.ts';
import { RETRY_WINDOW_MS, retryDelayMs } from './outbound-retry-policy.ts';
import { postDelivery, type AttemptResult, type PostOptions } from './post-delivery.ts';

const CLAIM_MS = 60_000;

export interface DispatchOptions extends Omit<PostOptions, 'now'> {
  /** Injectable clock (tests of backoff and the 3-day disable). */
  now?: () => Date;
  batchSize?: number;
}

// Instants go in as ISO text with its offset, so they do not depend on the session's TimeZone.
const utc = (d: Date) => Prisma.sql`${d.toISOString()}::timestamptz`;

export async function fanOutEvents(db: Db, date: Date, limit = 500): Promise<number> {
  const now = utc(date);
  const rows = await db.$queryRaw<Array<{ n: bigint }>>`
    WITH ev AS (
           SELECT id, type, endpoint_id FROM outbound_event
            WHERE fanned_out_at IS NULL ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED),
         ins AS (
           INSERT INTO outbound_delivery (id, endpoint_id, event_id, status, manual, next_attempt_at, created_at)
           SELECT gen_random_uuid(), e.id, ev.id, 'pending', ev.endpoint_id IS NOT NULL, ${now}, ${now}
             FROM ev JOIN outbound_endpoint e
               ON (ev.endpoint_id IS NULL AND e.enabled
                   AND (cardinality(e.event_types) = 0 OR ev.type = ANY(e.event_types)))
               OR e.id = ev.endpoint_id
           RETURNING 1),
         done AS (UPDATE outbound_event SET fanned_out_at = ${now} WHERE id IN (SELECT id FROM ev) RETURNING 1)
    SELECT (SELECT count(*) FROM done) AS n`;
  return Number(rows[0]?.n ?? 0);
}

/** A delivery `d2` (on endpoint `e`) is due: pending/retrying and due, or a claim that expired. */
const isDue = (now: Prisma.Sql) => Prisma.sql`((d2.status IN ('pending', 'retrying') AND d2.next_attempt_at <= ${now})
                    OR (d2.status = 'sending' AND d2.locked_until < ${now}))
               AND (e.enabled OR d2.manual)`;

/** Claims due deliveries on enabled endpoints (or sent by hand). */
async function claimDue(db: Db, date: Date, limit: number): Promise<string[]> {
  const until = utc(new Date(date.getTime() + CLAIM_MS));
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    UPDATE outbound_delivery d SET status = 'sending', locked_until = ${until}
      FROM (SELECT d2.id FROM outbound_delivery d2 JOIN outbound_endpoint e ON e.id = d2.endpoint_id
             WHERE ${isDue(utc(date))}
             ORDER BY d2.next_attempt_at LIMIT ${limit} FOR UPDATE OF d2 SKIP LOCKED) c
     WHERE d.id = c.id RETURNING d.id::text AS id`;
  return rows.map((r) => r.id);
}

/**
 * When the next delivery falls due (a retry's backoff, or a claim that expires), null when none
 * waits: the dispatch job queues its next run for that moment instead of polling.
 */
export async function nextOutboundAttemptAt(db: Db): Promise<Date | null> {
  const rows = await db.$queryRaw<Array<{ at: Date | null }>>`
    SELECT LEAST(
             (SELECT min(d.next_attempt_at) FROM outbound_delivery d JOIN outbound_endpoint e ON e.id = d.endpoint_id
               WHERE d.status IN ('pending', 'retrying') AND (e.enabled OR d.manual)),
             (SELECT min(locked_until) FROM outbound_delivery WHERE status = 'sending')
           ) AT TIME ZONE 'UTC' AS at`;
  return rows[0]?.at ?? null;
}

/** Whether a run would find work now: events not fanned out yet, or deliveries due. */
export async function outboundWorkDue(db: Db, date = new Date()): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ due: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM outbound_event WHERE fanned_out_at IS NULL)
        OR EXISTS (SELECT 1 FROM outbound_delivery d2 JOIN outbound_endpoint e ON e.id = d2.endpoint_id
                    WHERE ${isDue(utc(date))}) AS due`;
  return rows[0]?.due ?? false;
}

function envelopeOf(event: OutboundEvent): OutboundEnvelope {
  return {
    id: event.id,
    type: event.type as OutboundEventType,
    version: event.version,
    created: event.createdAt.toISOString(),
    customerId: event.customerId,
    data: (event.payload ?? {}) as Record<string, unknown>,
  };
}

export async function dispatchOutbound(db: Db, options: DispatchOptions) {
  const clock = options.now ?? (() => new Date());
  const fannedOut = await fanOutEvents(db, clock());
  const ids = await claimDue(db, clock(), options.batchSize ?? 20);
  if (!ids.length) return { fannedOut, sent: 0, succeeded: 0 };
  const deliveries = await db.outboundDelivery.findMany({
    where: { id: { in: ids } },
    include: { event: true, endpoint: true },
  });
  const results = await Promise.all(
    deliveries.map(async (d) => {
      const result = await postDelivery(d.endpoint, envelopeOf(d.event), { ...options, now: clock() });
      await recordDeliveryOutcome(db, d, result, clock());
      return result.ok;
    }),
  );
  return { fannedOut, sent: results.length, succeeded: results.filter(Boolean).length };
}

async function recordDeliveryOutcome(
  db: Db,
  d: OutboundDelivery & { endpoint: OutboundEndpoint },
  result: AttemptResult,
  now: Date,
) {
  const attempts = d.attempts + 1;
  const firstAttemptAt = d.firstAttemptAt ?? now;
  const attempt = {
    attempts,
    firstAttemptAt,
    lastAttemptAt: now,
    responseCode: result.responseCode,
    durationMs: result.durationMs,
    responseExcerpt: result.excerpt,
    error: result.error,
    lockedUntil: null,
  };
  await db.$transaction(async (tx) => {
    if (result.ok) {
      await tx.outboundDelivery.update({
        where: { id: d.id },
        data: { ...attempt, status: 'succeeded', nextAttemptAt: null },
      });
      await tx.outboundEndpoint.updateMany({
        where: { id: d.endpointId, failingSince: { not: null } },
        data: { failingSince: null },
      });
      return;
    }
    const giveUp = now.getTime() - firstAttemptAt.getTime() >= RETRY_WINDOW_MS;
    await tx.outboundDelivery.update({
      where: { id: d.id },
      data: giveUp
        ? { ...attempt, status: 'failed', nextAttemptAt: null }
        : { ...attempt, status: 'retrying', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) },
    });
    await tx.outboundEndpoint.updateMany({
      where: { id: d.endpointId, failingSince: null },
      data: { failingSince: now },
    });
    // Every delivery failed for 3 days: stop sending until an admin re-enables it (Settings banner).
    const since = new Date(now.getTime() - RETRY_WINDOW_MS);
    await tx.outboundEndpoint.updateMany({
      where: { id: d.endpointId, enabled: true, failingSince: { lte: since } },
      data: {
        enabled: false,
        disabledAt: now,
        disabledReason: `Every delivery failed for 3 days; last error: ${result.error ?? 'unknown'}`,
      },
    });
  });
}
