// A refused webhook request: counted with its reason and source address, never with its payload
// (an unverified body is attacker-controlled and may carry personal data). Counted, not logged
// row by row: one counter per UTC hour and reason, incremented in place, so a flood of forged
// requests adds at most one row per reason and hour (pruned after WEBHOOK_REJECTION_RETENTION_DAYS
// by the webhook-rejection-prune job).
import type { Db } from '../../db/client.ts';

export type WebhookRejectionReason =
  | 'wrong_content_type'
  | 'empty_body'
  | 'missing_signature'
  | 'bad_signature'
  | 'stale_timestamp'
  | 'malformed_json'
  | 'malformed_event'
  | 'not_configured'
  | 'malformed_request'
  | 'body_too_large';

export const WEBHOOK_REJECTION_RETENTION_DAYS = 30;

const HOUR_MS = 3_600_000;

/** Start of the UTC hour `at` falls in: the counter's bucket. */
export function rejectionHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
}

export async function recordWebhookRejection(
  db: Db,
  input: { reason: WebhookRejectionReason; ip: string | null; at?: Date },
): Promise<void> {
  const at = input.at ?? new Date();
  // One statement, race-free under concurrency: the first request of the hour inserts, the rest
  // increment the same row.
  await db.$executeRaw`
    INSERT INTO webhook_rejection_count (hour, reason, count, first_at, last_at, last_ip)
    VALUES (${rejectionHour(at)}, ${input.reason}, 1, ${at}, ${at}, ${input.ip})
    ON CONFLICT (hour, reason) DO UPDATE SET
      count = webhook_rejection_count.count + 1,
      first_at = LEAST(webhook_rejection_count.first_at, EXCLUDED.first_at),
      last_at = GREATEST(webhook_rejection_count.last_at, EXCLUDED.last_at),
      last_ip = CASE WHEN EXCLUDED.last_at >= webhook_rejection_count.last_at
                     THEN EXCLUDED.last_ip ELSE webhook_rejection_count.last_ip END`;
}

/** Deletes counters of hours that ended before the retention window; returns how many went. */
export async function pruneWebhookRejections(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = rejectionHour(new Date(now.getTime() - WEBHOOK_REJECTION_RETENTION_DAYS * 24 * HOUR_MS));
  const { count } = await db.webhookRejectionCount.deleteMany({ where: { hour: { lt: cutoff } } });
  return count;
}
