// Lists Stripe's recent events and ingests any that never reached the webhook (Stripe stops
// retrying after 3 days; an outage can be longer), then runs the drift check. The run and its
// findings are stored in reconciliation_run for the support desk.
import { reconcileEvents } from '../modules/stripe-events/reconcile-events.ts';
import { pipelineContext } from '../stripe/pipeline.ts';
import { defineJob } from './job.ts';

export const stripeReconciliationJob = defineJob<Record<string, never>>({
  name: 'stripe-reconciliation',
  description: 'Ingest Stripe events that were never delivered and check payments against grants (hourly)',
  schedule: { cron: '17 * * * *' },
  queue: { policy: 'singleton', retryLimit: 1, retryDelay: 300, expireInSeconds: 50 * 60 },
  async handler({ deps }) {
    if (!deps.stripe) {
      deps.log.debug({}, 'no Stripe connection: nothing to reconcile');
      return { skipped: true };
    }
    const run = await reconcileEvents(pipelineContext(deps));
    deps.log.info(
      {
        runId: run.id,
        status: run.status,
        seen: run.eventsSeen,
        ingested: run.eventsIngested,
      },
      'stripe reconciliation run',
    );
    return { runId: run.id, status: run.status, ingested: run.eventsIngested };
  },
});
