// Charges automatic top-ups: each threshold crossing (a pending auto_topup row, written in the
// consume's own transaction) becomes one off-session PaymentIntent. Woken by the row's insert (a
// trigger's notice on the change feed), plus a per-minute sweep for top-ups a dead worker left.
import { chargePendingTopups, hasPendingTopups } from '../modules/topups/charge-pending-topups.ts';
import { defineJob } from './job.ts';

export const autoTopupJob = defineJob<Record<string, never>>({
  name: 'auto-topup',
  description:
    'Charge automatic top-ups off-session when a consume crossed the threshold (at once, and a sweep every minute)',
  schedule: { cron: '* * * * *' },
  wakeOn: { topic: 'auto_topup', pending: hasPendingTopups },
  pollingIntervalSeconds: 1,
  queue: { policy: 'stately', retryLimit: 3, retryDelay: 10, expireInSeconds: 5 * 60 },
  async handler({ deps }) {
    const result = await chargePendingTopups(deps.prisma, deps.stripe?.client ?? null);
    if (result.failed) deps.log.warn({ job: 'auto-topup', ...result }, 'automatic top-ups failed; paused');
    return result;
  },
});
