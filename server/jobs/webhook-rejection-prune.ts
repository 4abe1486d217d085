// Refused webhook requests are kept as hourly counters for WEBHOOK_REJECTION_RETENTION_DAYS (the
// webhook monitor shows at most 7 days); older counters are deleted once a day.
import { pruneWebhookRejections } from '../modules/stripe-events/record-webhook-rejection.ts';
import { defineJob } from './job.ts';

export const webhookRejectionPruneJob = defineJob<Record<string, never>>({
  name: 'webhook-rejection-prune',
  description: 'Delete webhook rejection counters older than 30 days (daily, 03:40 UTC)',
  schedule: { cron: '40 3 * * *' },
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 300, expireInSeconds: 15 * 60 },
  async handler({ deps }) {
    const deleted = await pruneWebhookRejections(deps.prisma);
    if (deleted) deps.log.info({ job: 'webhook-rejection-prune', deleted }, 'old webhook rejection counters pruned');
    return { deleted };
  },
});
