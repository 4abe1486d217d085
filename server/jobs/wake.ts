// Running a job now instead of at its next scheduled run. A webhook that stores an event needing
// Stripe's API (deferred to the stripe-event-retry job, because the answer must not wait on
// Stripe) wakes that job, so the event is applied in seconds rather than at the next minute's
// cron; a new outbox row or automatic top-up, named on the change feed, wakes outbound-dispatch or
// auto-topup (runner.ts). The wake goes through pg-boss, debounced across processes: at most one
// run per WAKE_SLOT_SECONDS slot plus one trailing run for wakes during it, and the queue's policy
// keeps one run active at a time whichever server's worker takes it. Each process also sends at
// most one wake per job and slot (the rest wait for the slot's end), so a burst of notices costs
// the database one insert per slot, not one per notice.
import type { PgBoss } from 'pg-boss';

export interface JobWaker {
  /** Queue a run of `name` soon; never throws, never waits (a failed wake leaves the cron run). */
  wake(name: string): void;
  /** Queue a run of `name` at `at` (work due later: a delivery's retry); once per second across processes. */
  wakeAt(name: string, at: Date): void;
}

const WAKE_SLOT_SECONDS = 1;
/** Singleton key of every wake-queued run: the debounced ones, and `wake-at:<second>` for the timed ones. */
const WAKE_KEY = 'wake';

export function bossWaker(boss: PgBoss, onError: (err: unknown, name: string) => void): JobWaker & { stop(): void } {
  // Per job: the slot's timer while one is open, and whether a wake arrived during it.
  const slots = new Map<string, { timer: NodeJS.Timeout; again: boolean }>();
  const send = (name: string) =>
    boss.sendDebounced(name, {}, null, WAKE_SLOT_SECONDS, WAKE_KEY).catch((err: unknown) => onError(err, name));
  const wake = (name: string): void => {
    const open = slots.get(name);
    if (open) {
      open.again = true;
      return;
    }
    void send(name);
    const slot = {
      again: false,
      timer: setTimeout(() => {
        slots.delete(name);
        if (slot.again) wake(name);
      }, WAKE_SLOT_SECONDS * 1000),
    };
    slot.timer.unref();
    slots.set(name, slot);
  };
  return {
    wake,
    wakeAt(name, at) {
      // Whole seconds, rounded up: the run never starts before the work is due, and every process
      // asking for the same second names the same key, so a stately queue keeps one run for it.
      const second = Math.ceil(at.getTime() / 1000) * 1000;
      if (second <= Date.now()) return wake(name);
      const startAfter = new Date(second);
      boss
        .send(name, {}, { startAfter, singletonKey: `${WAKE_KEY}-at:${startAfter.toISOString()}` })
        .catch((err: unknown) => onError(err, name));
    },
    stop() {
      for (const slot of slots.values()) clearTimeout(slot.timer);
      slots.clear();
    },
  };
}
