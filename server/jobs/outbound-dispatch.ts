// Sends outbound events to the product's endpoints: fans new outbox rows out to the subscribed
// endpoints and delivers what is due (first tries and backoff retries). Ticks every 2 seconds from
// each running server, plus a cron safety net; the stately queue keeps at most one run queued.
import { urlPolicy } from '../modules/outbound/endpoint-view.ts';
import { dispatchOutbound } from '../modules/outbound/dispatch-outbound.ts';
import { defineJob } from './job.ts';

export const outboundDispatchJob = defineJob<Record<string, never>>({
  name: 'outbound-dispatch',
  description: 'Deliver outbound events (signed webhooks) to the registered endpoints (every 2 seconds)',
  schedule: { cron: '* * * * *' },
  everySeconds: 2,
  pollingIntervalSeconds: 1,
  queue: { policy: 'stately', retryLimit: 1, retryDelay: 5, expireInSeconds: 5 * 60 },
  async handler({ deps }) {
    let total = { fannedOut: 0, sent: 0, succeeded: 0 };
    // Drain: keep going while full batches come back, so a backlog does not wait for the next tick.
    for (let round = 0; round < 10; round++) {
      const r = await dispatchOutbound(deps.prisma, { policy: urlPolicy(deps.env), batchSize: 20 });
      total = {
        fannedOut: total.fannedOut + r.fannedOut,
        sent: total.sent + r.sent,
        succeeded: total.succeeded + r.succeeded,
      };
      if (r.sent < 20 && r.fannedOut < 500) break;
    }
    if (total.sent > total.succeeded) deps.log.warn({ job: 'outbound-dispatch', ...total }, 'some deliveries failed');
    return total;
  },
});
