// A refused webhook request: counted with its reason and source address, never with its payload
// (an unverified body is attacker-controlled and may carry personal data).
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

export async function recordWebhookRejection(
  db: Db,
  input: { reason: WebhookRejectionReason; ip: string | null },
): Promise<void> {
  await db.webhookRejection.create({ data: { reason: input.reason, ip: input.ip } });
}
