// What a background job is. Each job lives in its own file (credit-expiry.ts, ...) exporting one
// JobDefinition, and is listed once in registry.ts; the runner creates its queue, its schedule and
// its worker. Handlers must be idempotent: pg-boss delivers at least once and retries on failure.
import type { Queue } from 'pg-boss';
import type { ChangeTopic } from '../db/change-feed.ts';
import type { Db } from '../db/client.ts';
import type { Deps } from '../deps.ts';

export interface JobRun<T> {
  deps: Deps;
  data: T;
  /** pg-boss job id and attempt (0 on the first try), for logs. */
  id: string;
  retryCount: number;
}

export interface JobDefinition<T extends object = Record<string, unknown>> {
  /** Queue name: kebab-case, unique. */
  name: string;
  /** One line for logs and the README. */
  description: string;
  /** Recurring run (cron, UTC unless tz is given); omit for jobs only ever sent on demand. */
  schedule?: { cron: string; tz?: string; data?: T };
  /**
   * Run as soon as new work is written: the change feed's notice of `topic` (a trigger on the work's
   * table) wakes the job in seconds, and the cron is only the safety sweep. While the feed is not
   * live (the embedded database, a lost LISTEN connection) the runner asks `pending` every few
   * seconds instead and wakes the job only when it answers true.
   */
  wakeOn?: { topic: ChangeTopic; pending(db: Db): Promise<boolean> };
  /** Queue options: retries, expiry, policy ('singleton' keeps one queued/active job at a time). */
  queue?: Omit<Queue, 'name'>;
  /** How often an idle worker polls (seconds, default 2). */
  pollingIntervalSeconds?: number;
  handler(run: JobRun<T>): Promise<unknown>;
}

/** Keeps the generic type of each definition while the registry holds them in one list. */
export function defineJob<T extends object>(job: JobDefinition<T>): JobDefinition<T> {
  return job;
}
