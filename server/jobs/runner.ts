// Starts pg-boss on the application database (its own "pgboss" schema) and runs every registered
// job: one queue, optional cron schedule and one worker each, and for jobs with `wakeOn` a wake on
// every change-feed notice of their topic (nothing is queued while there is no work). Started by
// server/index.ts after boot; stopped on shutdown after the HTTP listener closes, letting running
// jobs finish.
import { PgBoss } from 'pg-boss';
import type { ChangeFeed } from '../db/change-feed.ts';
import type { Deps } from '../deps.ts';
import { metrics } from '../lib/metrics.ts';
import type { JobDefinition } from './job.ts';
import { JOBS } from './registry.ts';
import { bossWaker, type JobWaker } from './wake.ts';

export interface JobRunner extends JobWaker {
  boss: PgBoss;
  /** Queue a job now (e.g. an admin's "run expiry now", or a retry). */
  send(name: string, data?: object): Promise<string | null>;
  stop(): Promise<void>;
}

export interface StartJobRunnerOptions {
  deps: Deps;
  databaseUrl: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  jobs?: ReadonlyArray<JobDefinition<any>>;
  /** false: queues and workers only, no cron (tests). */
  schedules?: boolean;
  /** Jobs kept off the schedule (env JOBS_UNSCHEDULED): queue and worker only, run on demand. */
  unscheduled?: readonly string[];
  /** The process's change feed, whose notices wake `wakeOn` jobs; default deps.changeFeed. */
  changes?: ChangeFeed | null;
}

/** While the change feed is not live, how often a `wakeOn` job's `pending` check runs. */
const WAKE_PROBE_SECONDS = 2;

export async function startJobRunner(options: StartJobRunnerOptions): Promise<JobRunner> {
  const { deps } = options;
  const jobs = options.jobs ?? JOBS;
  const log = deps.log.child({ component: 'jobs' });
  const unscheduled = new Set(options.unscheduled ?? []);
  const unknown = [...unscheduled].filter((name) => !jobs.some((job) => job.name === name));
  if (unknown.length) {
    throw new Error(
      `JOBS_UNSCHEDULED names no job: ${unknown.join(', ')} (jobs: ${jobs.map((j) => j.name).join(', ')})`,
    );
  }
  const onSchedule = (job: { name: string }) => options.schedules !== false && !unscheduled.has(job.name);
  // A small pool: the jobs share the database with the API (and the embedded server's 32 slots).
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: 'pgboss',
    max: 3,
    application_name: 'creditdesk-jobs',
    schedule: options.schedules !== false,
  });
  boss.on('error', (err) => log.error({ err }, 'pg-boss error'));
  await boss.start();
  const waker = bossWaker(boss, (err, name) => log.warn({ err, job: name }, 'could not wake the job'));

  for (const job of jobs) {
    const existing = await boss.getQueue(job.name);
    if (!existing) await boss.createQueue(job.name, job.queue);
    else if (job.queue) {
      // pg-boss refuses to change a queue's policy after creation (the second start of a server
      // would crash): update the other options, and say so if the policy in code moved on.
      const { policy, ...rest } = job.queue;
      if (policy && existing.policy !== policy) {
        log.warn(
          { job: job.name, stored: existing.policy, wanted: policy },
          'queue policy differs; pg-boss keeps the stored one',
        );
      }
      await boss.updateQueue(job.name, rest);
    }
    await boss.work(job.name, { pollingIntervalSeconds: job.pollingIntervalSeconds ?? 2 }, async (batch) => {
      for (const item of batch) {
        const started = Date.now();
        try {
          // Every line the run logs names its job and run; a line about one Stripe event adds that
          // event's delivery request id (process-event.ts).
          const runLog = log.child({ job: job.name, jobId: item.id });
          await job.handler({
            deps: { ...deps, log: runLog, jobs: waker },
            data: (item.data ?? {}) as object,
            id: item.id,
            retryCount: item.retryCount,
          });
          log.debug({ job: job.name, id: item.id, ms: Date.now() - started }, 'job done');
          metrics.jobRun(job.name, 'ok', (Date.now() - started) / 1000);
        } catch (err) {
          metrics.jobRun(job.name, 'failed', (Date.now() - started) / 1000);
          log.error({ err, job: job.name, id: item.id, attempt: item.retryCount }, 'job failed');
          throw err;
        }
      }
    });
  }

  if (options.schedules !== false) {
    const scheduled = new Set<string>();
    for (const job of jobs) {
      if (!job.schedule || !onSchedule(job)) continue;
      scheduled.add(job.name);
      await boss.schedule(job.name, job.schedule.cron, job.schedule.data ?? null, { tz: job.schedule.tz ?? 'UTC' });
    }
    // A schedule whose job was removed from the code (or lost its cron) must not keep firing.
    for (const schedule of await boss.getSchedules()) {
      if (!scheduled.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
    }
  }
  // Wakes: a notice of the topic (any process committed new work) queues a run. Without a live feed
  // (the embedded database never has one) each process asks the job's `pending` check instead.
  const changes = options.changes !== undefined ? options.changes : (deps.changeFeed ?? null);
  const unsubscribe: Array<() => void> = [];
  const probes: NodeJS.Timeout[] = [];
  for (const job of jobs) {
    const wakeOn = job.wakeOn;
    if (!wakeOn) continue;
    if (changes) unsubscribe.push(changes.onNotice(wakeOn.topic, () => waker.wake(job.name)));
    // Work written before this process listened (or while no server ran) need not wait for the sweep.
    waker.wake(job.name);
    let probing = false;
    const probe = setInterval(() => {
      if (probing || changes?.isLive()) return;
      probing = true;
      wakeOn
        .pending(deps.prisma)
        .then((due) => {
          if (due) waker.wake(job.name);
        })
        .catch((err: unknown) => log.warn({ err, job: job.name }, 'could not look for work'))
        .finally(() => (probing = false));
    }, WAKE_PROBE_SECONDS * 1000);
    probe.unref();
    probes.push(probe);
  }
  log.info({ jobs: jobs.map((j) => j.name), unscheduled: [...unscheduled] }, 'job runner started');

  return {
    boss,
    send: (name, data) => boss.send(name, data ?? null),
    wake: (name) => waker.wake(name),
    wakeAt: (name, at) => waker.wakeAt(name, at),
    async stop() {
      for (const off of unsubscribe) off();
      for (const t of probes) clearInterval(t);
      waker.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.info('job runner stopped');
    },
  };
}
