// When a deferred or failing event is tried again. Stripe's own retries stop after 3 days in live
// mode; ours cover about the same span, then the event is `failed` and waits for support.

export const MAX_PROCESSING_ATTEMPTS = 12;
const BASE_DELAY_MS = 15_000;
const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/** Delay before the next try after `attempts` tries (1-based): 15 s, 30 s, 1 min ... capped at 6 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

/** Errors that say "two transactions collided", retried at once instead of waiting for backoff. */
export function isTransientConflict(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
    if (e.code === 'P2002' || e.code === 'P2034' || e.code === '40001' || e.code === '40P01' || e.code === '23505') {
      return true;
    }
    const message = typeof e.message === 'string' ? e.message : '';
    if (/deadlock detected|could not serialize|duplicate key value|write conflict/i.test(message)) return true;
    current =
      e.cause ??
      (e.meta && typeof e.meta === 'object'
        ? (e.meta as { driverAdapterError?: unknown }).driverAdapterError
        : undefined);
  }
  return false;
}
