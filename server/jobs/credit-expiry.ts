// Writes "expiration" entries for lots whose expiresAt has passed. Draws already skip expired
// lots, so the only delay a run adds is to the balance projection (shown as "expired, pending").
import { expireDueLots } from '../modules/ledger/expire-lots.ts';
import { announceExpiringLots } from '../modules/outbound/announce-expiring-lots.ts';
import { defineJob } from './job.ts';

export const creditExpiryJob = defineJob<{ batchSize?: number }>({
  name: 'credit-expiry',
  description:
    'Expire the remaining credits of lots past their expiry date; announce lots expiring within 7 days (every 5 minutes)',
  schedule: { cron: '*/5 * * * *' },
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 30, expireInSeconds: 15 * 60 },
  async handler({ deps, data }) {
    const result = await expireDueLots(deps.prisma, { batchSize: data?.batchSize });
    if (result.lots > 0 || result.failed.length > 0) {
      deps.log.info({ ...result }, 'credit expiry run');
    }
    if (result.failed.length > 0) {
      deps.log.warn({ failed: result.failed }, 'some lots could not be expired; next run retries');
    }
    // Outbound credits.expiring for lots entering their last 7 days (once per lot).
    const expiring = await announceExpiringLots(deps.prisma);
    return { expiring, lots: result.lots, credits: result.credits, failed: result.failed.length };
  },
});
