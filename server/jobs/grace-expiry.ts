// Downgrades customers whose subscription's grace period (rules.gracePeriodDays after a failed
// renewal) ended without a paid invoice; a later invoice.paid restores the plan.
import { expireGracePeriods } from '../modules/billing/expire-grace-periods.ts';
import { defineJob } from './job.ts';

export const graceExpiryJob = defineJob<Record<string, never>>({
  name: 'grace-expiry',
  description:
    'Downgrade to the default plan when a failed renewal stays unpaid past the grace period (every 5 minutes)',
  schedule: { cron: '*/5 * * * *' },
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, expireInSeconds: 15 * 60 },
  async handler({ deps }) {
    const downgraded = await expireGracePeriods(deps.prisma);
    if (downgraded.length) deps.log.info({ downgraded }, 'grace periods ended unpaid');
    return { downgraded: downgraded.length };
  },
});
