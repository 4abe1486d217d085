// Verifies the `Creditdesk-Signature` header of an outbound event, signed the way Stripe signs:
// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret>` (several
// v1 entries while a secret rotates). WebCrypto only, so it runs in Node >= 20, Deno, Bun, workers.

export class SignatureVerificationError extends Error {
  override name = 'SignatureVerificationError';
}

export interface VerifyOptions {
  /** Oldest accepted timestamp, in seconds before now (replay protection). Default 300. */
  toleranceSeconds?: number;
  /** Now, in unix seconds (tests). */
  now?: number;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export async function signPayload(payload: string, secret: string, timestamp: number): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return hex(await crypto.subtle.sign('HMAC', key, enc.encode(`${timestamp}.${payload}`)));
}

/**
 * Throws SignatureVerificationError unless `header` is a valid signature of the raw `payload`
 * (the exact bytes received, before any JSON parsing) made with `secret` within the tolerance.
 * Returns the parsed event.
 */
export async function verifyEventSignature<T = unknown>(
  payload: string,
  header: string | null | undefined,
  secret: string,
  options: VerifyOptions = {},
): Promise<T> {
  if (!header) throw new SignatureVerificationError('No Creditdesk-Signature header');
  const parts = header.split(',').map((p) => p.trim().split('='));
  const timestamp = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v!);
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    throw new SignatureVerificationError('Malformed Creditdesk-Signature header');
  }
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new SignatureVerificationError('Signature timestamp outside the tolerance');
  }
  const expected = await signPayload(payload, secret, timestamp);
  if (!signatures.some((s) => constantTimeEqual(s, expected))) {
    throw new SignatureVerificationError('No signature matches the payload');
  }
  return JSON.parse(payload) as T;
}
