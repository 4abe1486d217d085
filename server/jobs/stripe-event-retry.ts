// Retries Stripe events that are deferred (waiting for an event they depend on, or after a failed
// attempt, with backoff) and events stored but never attempted (the process stopped between the
// 2xx and the inline attempt). After the last attempt an event is `failed` and waits for support.
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { pipelineContext } from '../stripe/pipeline.ts';
import { defineJob } from './job.ts';

export const STRIPE_EVENT_RETRY_JOB = 'stripe-event-retry';

export const stripeEventRetryJob = defineJob<{ limit?: number }>({
  name: STRIPE_EVENT_RETRY_JOB,
  description:
    'Apply deferred Stripe events whose next attempt is due, with backoff (every minute, and at once when a webhook leaves it Stripe work)',
  schedule: { cron: '* * * * *' },
  queue: { policy: 'singleton', retryLimit: 2, retryDelay: 30, expireInSeconds: 10 * 60 },
  async handler({ deps, data }) {
    const results = await processDueEvents(pipelineContext(deps), { limit: data?.limit ?? 200 });
    const byStatus: Record<string, number> = {};
    for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (results.length) deps.log.info({ ...byStatus }, 'stripe event retry run');
    if (byStatus.failed) {
      deps.log.warn({ failed: byStatus.failed }, 'stripe events gave up: support must act');
    }
    return byStatus;
  },
});
