// Sends outbound events to the product's endpoints: fans new outbox rows out to the subscribed
// endpoints and delivers what is due (first tries and backoff retries). Woken when an outbox row is
// written (a trigger's notice on the change feed); each run queues the next one for when the
// earliest waiting retry falls due; a per-minute cron is the safety sweep. The stately queue keeps
// at most one run queued per key.
import { urlPolicy } from '../modules/outbound/endpoint-view.ts';
import { dispatchOutbound, nextOutboundAttemptAt, outboundWorkDue } from '../modules/outbound/dispatch-outbound.ts';
import { defineJob } from './job.ts';

export const OUTBOUND_DISPATCH_JOB = 'outbound-dispatch';

export const outboundDispatchJob = defineJob<Record<string, never>>({
  name: OUTBOUND_DISPATCH_JOB,
  description:
    'Deliver outbound events (signed webhooks) to the registered endpoints (at once, retries when due, a sweep every minute)',
  schedule: { cron: '* * * * *' },
  wakeOn: { topic: 'outbound', pending: (db) => outboundWorkDue(db) },
  pollingIntervalSeconds: 1,
  queue: { policy: 'stately', retryLimit: 1, retryDelay: 5, expireInSeconds: 5 * 60 },
  async handler({ deps }) {
    let total = { fannedOut: 0, sent: 0, succeeded: 0 };
    // Drain: keep going while full batches come back; what is left is due now and queues a run next.
    for (let round = 0; round < 10; round++) {
      const r = await dispatchOutbound(deps.prisma, { policy: urlPolicy(deps.env), batchSize: 20 });
      total = {
        fannedOut: total.fannedOut + r.fannedOut,
        sent: total.sent + r.sent,
        succeeded: total.succeeded + r.succeeded,
      };
      if (r.sent < 20 && r.fannedOut < 500) break;
    }
    const next = await nextOutboundAttemptAt(deps.prisma);
    if (next) deps.jobs?.wakeAt(OUTBOUND_DISPATCH_JOB, next);
    if (total.sent > total.succeeded) deps.log.warn({ job: OUTBOUND_DISPATCH_JOB, ...total }, 'some deliveries failed');
    return total;
  },
});
