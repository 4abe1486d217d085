// Re-reads from Stripe the subscriptions whose same-second events contradicted each other.
import { rereadSubscriptions } from '../modules/billing/reread-subscriptions.ts';
import { defineJob } from './job.ts';

export const subscriptionRereadJob = defineJob<Record<string, never>>({
  name: 'subscription-reread',
  description: 'Re-read from Stripe subscriptions whose same-second events contradicted each other (every minute)',
  schedule: { cron: '* * * * *' },
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 30, expireInSeconds: 10 * 60 },
  async handler({ deps }) {
    const results = await rereadSubscriptions({ prisma: deps.prisma, stripe: deps.stripe?.client ?? null });
    if (results.length) deps.log.info({ results }, 'subscriptions re-read from Stripe');
    return { reread: results.length };
  },
});
