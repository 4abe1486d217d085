// Time in the emulator. Object timestamps are real unix seconds (webhook signatures must pass
// the SDK's 300 s tolerance). Waiting (retry backoff, injected delays, delayed settlements) is
// expressed in emulated seconds and compressed by `timeScale`: 0.001 turns an hour into 3.6 s.

export class Clock {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly timeScale: number) {}

  /** Unix seconds. */
  now(): number {
    return Math.floor(Date.now() / 1000);
  }

  /** Real milliseconds that `seconds` of emulated time take. */
  realMs(seconds: number): number {
    return Math.max(0, Math.round(seconds * 1000 * this.timeScale));
  }

  /** Runs `fn` after `seconds` of emulated time; returns a cancel function. */
  after(seconds: number, fn: () => void): () => void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.realMs(seconds));
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

const DAY = 86_400;

/** Adds whole billing intervals in UTC calendar terms, like Stripe (Jan 31 + 1 month = Feb 28/29). */
export function addInterval(
  unix: number,
  interval: 'day' | 'week' | 'month' | 'year',
  count: number,
  anchorDay?: number,
): number {
  if (interval === 'day') return unix + count * DAY;
  if (interval === 'week') return unix + count * 7 * DAY;
  const d = new Date(unix * 1000);
  const months = interval === 'month' ? count : count * 12;
  const day = anchorDay ?? d.getUTCDate();
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return Math.floor(target.getTime() / 1000);
}
