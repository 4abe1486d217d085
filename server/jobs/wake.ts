// Running a job now instead of at its next scheduled run. A webhook that stores an event needing
// Stripe's API (deferred to the stripe-event-retry job, because the answer must not wait on
// Stripe) wakes that job, so the event is applied in seconds rather than at the next minute's
// cron. The wake goes through pg-boss, debounced across processes: at most one run per
// WAKE_SLOT_SECONDS slot plus one trailing run for wakes during it, and the queue's singleton
// policy keeps one run active at a time whichever server's worker takes it.
import type { PgBoss } from 'pg-boss';

export interface JobWaker {
  /** Queue a run of `name` soon; never throws, never waits (a failed wake leaves the cron run). */
  wake(name: string): void;
}

const WAKE_SLOT_SECONDS = 1;

export function bossWaker(boss: PgBoss, onError: (err: unknown, name: string) => void): JobWaker {
  return {
    wake(name) {
      boss.sendDebounced(name, {}, null, WAKE_SLOT_SECONDS, 'wake').catch((err: unknown) => onError(err, name));
    },
  };
}
