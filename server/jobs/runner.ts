// Starts pg-boss on the application database (its own "pgboss" schema) and runs every registered
// job: one queue, optional cron schedule and one worker each. Started by server/index.ts after
// boot; stopped on shutdown after the HTTP listener closes, letting running jobs finish.
import { PgBoss } from 'pg-boss';
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
}

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
            deps: { ...deps, log: runLog },
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
  const tickers = jobs
    .filter((job) => job.everySeconds && onSchedule(job))
    .map((job) =>
      setInterval(() => {
        boss.send(job.name, {}).catch((err: unknown) => log.warn({ err, job: job.name }, 'could not queue a tick'));
      }, job.everySeconds! * 1000),
    );
  log.info({ jobs: jobs.map((j) => j.name), unscheduled: [...unscheduled] }, 'job runner started');

  const waker = bossWaker(boss, (err, name) => log.warn({ err, job: name }, 'could not wake the job'));
  return {
    boss,
    send: (name, data) => boss.send(name, data ?? null),
    wake: (name) => waker.wake(name),
    async stop() {
      for (const t of tickers) clearInterval(t);
      await boss.stop({ graceful: true, timeout: 10_000 });
      log.info('job runner stopped');
    },
  };
}
