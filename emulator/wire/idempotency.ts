// Idempotency-Key handling as Stripe documents it: the first execution's status and body are
// stored and replayed for the same key (with an `Idempotent-Replayed: true` header); the same
// key with different parameters is a 400 idempotency_error; a key whose first request is still
// running is a 409; validation failures are not stored; keys are forgotten after 24 hours.
import { createHash } from 'node:crypto';
import { idempotencyInProgress, idempotencyMismatch, type StripeApiError } from './errors.ts';

const TTL_MS = 24 * 60 * 60 * 1000;

interface Entry {
  fingerprint: string;
  createdAt: number;
  result: { status: number; body: string } | null;
}

export type Begin =
  { kind: 'new' } | { kind: 'replay'; status: number; body: string } | { kind: 'error'; error: StripeApiError };

export function fingerprint(method: string, path: string, params: unknown): string {
  return createHash('sha256').update(`${method} ${path} `).update(canonical(params)).digest('hex');
}

function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Buffer.isBuffer(v)) return `buf:${createHash('sha256').update(v).digest('hex')}`;
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  begin(scope: string, key: string, print: string): Begin {
    this.prune();
    const id = `${scope}\u0000${key}`;
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint: print, createdAt: Date.now(), result: null });
      return { kind: 'new' };
    }
    if (entry.fingerprint !== print) return { kind: 'error', error: idempotencyMismatch(key) };
    if (!entry.result) return { kind: 'error', error: idempotencyInProgress() };
    return { kind: 'replay', ...entry.result };
  }

  complete(scope: string, key: string, status: number, body: string): void {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (entry) entry.result = { status, body };
  }

  /** The request never started executing (validation failure): the key stays unused. */
  forget(scope: string, key: string): void {
    this.entries.delete(`${scope}\u0000${key}`);
  }

  clear(): void {
    this.entries.clear();
  }

  private prune(): void {
    const cutoff = Date.now() - TTL_MS;
    for (const [id, e] of this.entries) if (e.createdAt < cutoff) this.entries.delete(id);
  }
}
