// One webhook POST as Stripe sends it: the event JSON, its Stripe-Signature, Stripe's headers,
// and a timeout. Any outcome is reported, never thrown.
import { signatureHeader } from './sign.ts';

export interface SendResult {
  status: number | null;
  error: string | null;
  body: string | null;
}

export async function sendWebhook(
  url: string,
  event: object,
  secrets: string[],
  timestamp: number,
  timeoutMs: number,
): Promise<SendResult> {
  // Stripe sends pretty-printed JSON; the signature covers exactly these bytes.
  const payload = JSON.stringify(event, null, 2);
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signatureHeader(payload, secrets, timestamp),
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'cache-control': 'no-cache',
      },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, error: null, body: (await res.text()).slice(0, 2000) };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const error =
      e.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { status: null, error, body: null };
  }
}
