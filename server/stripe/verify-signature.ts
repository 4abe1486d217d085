// Signature check with the official SDK. STRIPE_WEBHOOK_SECRET may hold several secrets during a
// rotation; the SDK takes one secret per call, so each is tried in turn (FACTS 1.2).
import Stripe from 'stripe';
import type { WebhookRejectionReason } from '../modules/stripe-events/record-webhook-rejection.ts';

export type VerifyResult =
  | { ok: true; event: Stripe.Event }
  | { ok: false; reason: Extract<WebhookRejectionReason, 'bad_signature' | 'stale_timestamp' | 'malformed_json'> };

const webhooks = Stripe.webhooks;

export function verifyStripeSignature(
  rawBody: Buffer,
  header: string,
  secrets: readonly string[],
  tolerance: number = webhooks.DEFAULT_TOLERANCE,
): VerifyResult {
  let reason: 'bad_signature' | 'stale_timestamp' | 'malformed_json' = 'bad_signature';
  for (const secret of secrets) {
    try {
      return { ok: true, event: webhooks.constructEvent(rawBody, header, secret, tolerance) };
    } catch (err) {
      // The SDK checks the signature before the timestamp and parses JSON last, so these two
      // messages mean the signature itself matched this secret.
      if (err instanceof SyntaxError) reason = 'malformed_json';
      else if (err instanceof Error && /tolerance/i.test(err.message) && reason === 'bad_signature') {
        reason = 'stale_timestamp';
      }
    }
  }
  return { ok: false, reason };
}
