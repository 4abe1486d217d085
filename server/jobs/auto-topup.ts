// Charges automatic top-ups: each threshold crossing (a pending auto_topup row, written in the
// consume's own transaction) becomes one off-session PaymentIntent. Every 2 seconds, plus cron.
import { chargePendingTopups } from '../modules/topups/charge-pending-topups.ts';
import { defineJob } from './job.ts';

export const autoTopupJob = defineJob<Record<string, never>>({
  name: 'auto-topup',
  description: 'Charge automatic top-ups off-session when a consume crossed the threshold (every 2 seconds)',
  schedule: { cron: '* * * * *' },
  everySeconds: 2,
  pollingIntervalSeconds: 1,
  queue: { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 5 * 60 },
  async handler({ deps }) {
    const result = await chargePendingTopups(deps.prisma, deps.stripe?.client ?? null);
    if (result.failed) deps.log.warn({ job: 'auto-topup', ...result }, 'automatic top-ups failed; paused');
    return result;
  },
});
