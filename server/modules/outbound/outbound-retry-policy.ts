// When a failed delivery is tried again, and when we give up. Exponential from 30 s, capped at
// 6 hours between tries; a delivery still failing 3 days after its first attempt is given up, and an
// endpoint whose every delivery failed for 3 days is disabled (see dispatch-outbound.ts).
export const RETRY_WINDOW_MS = 3 * 24 * 3600_000;
const FIRST_DELAY_MS = 30_000;
const MAX_DELAY_MS = 6 * 3600_000;

/** Delay before attempt `attempts + 1`, after `attempts` failed ones (1, 2, ...). */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}
