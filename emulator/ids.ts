// Object ids with Stripe's prefixes and lengths. Random, so ids never collide across runs that
// share one persisted state file.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}

/** Short ids (cus_, prod_, si_) look like `cus_QXg1o8vcGmoR32`; the rest like `ch_1PgafuB7WZ01zgkWXYmPNZs8`. */
const SHORT = new Set(['cus', 'prod', 'si', 'li', 'il']);

export function newId(prefix: string): string {
  if (prefix === 'cs_test') return `cs_test_a1${randomToken(56)}`;
  if (SHORT.has(prefix)) return `${prefix}_${randomToken(14)}`;
  return `${prefix}_1${randomToken(23)}`;
}

export function newWebhookSecret(): string {
  return `whsec_${randomToken(32)}`;
}

export function newRequestId(): string {
  return `req_${randomToken(14)}`;
}

export function newUuid(): string {
  return randomUUID();
}
