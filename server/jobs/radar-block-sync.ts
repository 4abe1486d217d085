// Puts blocked customers' emails and card fingerprints on Stripe Radar's block lists (and takes
// them off on unblock) when rules.radarBlockList is on. Blocks made by the auto-block rule inside
// the webhook transaction, and staff blocks whose immediate sync failed, are picked up here.
import { syncRadarBlockList } from '../modules/blocks/sync-radar-block-list.ts';
import { defineJob } from './job.ts';

export const radarBlockSyncJob = defineJob<Record<string, never>>({
  name: 'radar-block-sync',
  description: 'Sync blocked customers to the Stripe Radar block lists (every minute, when the setting is on)',
  schedule: { cron: '* * * * *' },
  queue: { policy: 'singleton', retryLimit: 2, retryDelay: 30, expireInSeconds: 5 * 60 },
  async handler({ deps }) {
    const results = await syncRadarBlockList({ prisma: deps.prisma, stripe: deps.stripe?.client ?? null });
    const failed = results.filter((r) => r.status === 'failed');
    if (failed.length) deps.log.error({ failed }, 'Radar block list sync failed');
    return { synced: results.length - failed.length, failed: failed.length };
  },
});
