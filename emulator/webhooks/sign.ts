// Stripe-Signature, exactly as Stripe builds it: `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`,
// one v1 per secret that is still valid (two during a secret roll-over).
import { createHmac } from 'node:crypto';

export function computeSignature(payload: string, secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
}

export function signatureHeader(payload: string, secrets: string[], timestamp: number): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${computeSignature(payload, s, timestamp)}`)].join(',');
}
