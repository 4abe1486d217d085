// credits.expiring: once per lot, when it enters its last 7 days with credits left. Run by the
// credit-expiry job; the source key makes repeated runs (and concurrent servers) write it once.
import type { DbOrTx } from '../../db/tx.ts';

const EXPIRING_NOTICE_DAYS = 7;

export async function announceExpiringLots(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const from = now.toISOString();
  const until = new Date(now.getTime() + EXPIRING_NOTICE_DAYS * 86_400_000).toISOString();
  const rows = await db.$queryRaw<Array<{ n: bigint }>>`
    WITH due AS (
      SELECT l.id, l.customer_id, l.remaining, l.expires_at, c.external_id FROM credit_lot l
        JOIN customer c ON c.id = l.customer_id
       WHERE l.remaining > 0 AND NOT l.frozen
         AND l.expires_at > ${from}::timestamptz
         AND l.expires_at <= ${until}::timestamptz
         AND NOT EXISTS (SELECT 1 FROM outbound_event e WHERE e.source_key = 'credits.expiring:' || l.id::text)
       LIMIT 1000)
    -- expiresAt: ISO 8601 in UTC (the Z is literal text), whatever the session's TimeZone.
    SELECT count(outbound_record('credits.expiring', 1, due.customer_id, jsonb_build_object(
             'externalId', due.external_id, 'lotId', due.id::text, 'credits', due.remaining,
             'expiresAt', to_char(due.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             'credits.expiring:' || due.id::text)) AS n
      FROM due`;
  return Number(rows[0]?.n ?? 0);
}
