// The webhook pipeline at a glance: rejected requests since a time ("signature failures since
// 10:02"), events per status, what is waiting for a retry or for support, the last arrival and the
// last reconciliation run.
import type { Db } from '../../db/client.ts';
import { rejectionHour } from './record-webhook-rejection.ts';

export async function getWebhookHealth(db: Db, input: { since?: Date; now?: Date } = {}) {
  const now = input.now ?? new Date();
  // Rejections are counted per UTC hour, so the window starts at the hour `since` falls in, and
  // says so (the answer's `since`).
  const since = rejectionHour(input.since ?? new Date(now.getTime() - 86_400_000));
  const [rejections, lastRejection, byStatus, lastDelivery, nextRetry, lastRun] = await Promise.all([
    db.webhookRejectionCount.groupBy({
      by: ['reason'],
      where: { hour: { gte: since } },
      _sum: { count: true },
      _min: { firstAt: true },
    }),
    db.webhookRejectionCount.findFirst({ orderBy: { lastAt: 'desc' }, select: { lastAt: true } }),
    db.stripeEvent.groupBy({ by: ['status'], _count: { _all: true } }),
    db.webhookDelivery.findFirst({ orderBy: { id: 'desc' }, select: { receivedAt: true, source: true } }),
    db.stripeEvent.findFirst({
      where: { status: 'deferred' },
      orderBy: { nextAttemptAt: 'asc' },
      select: { id: true, nextAttemptAt: true, lastError: true },
    }),
    db.reconciliationRun.findFirst({ orderBy: { startedAt: 'desc' } }),
  ]);
  return {
    since,
    rejections: {
      total: rejections.reduce((n, r) => n + (r._sum.count ?? 0), 0),
      byReason: Object.fromEntries(rejections.map((r) => [r.reason, r._sum.count ?? 0])) as Record<string, number>,
      firstAt: rejections.reduce<Date | null>((min, r) => {
        const at = r._min.firstAt;
        return at && (!min || at < min) ? at : min;
      }, null),
      lastAt: lastRejection?.lastAt ?? null,
    },
    events: Object.fromEntries(byStatus.map((s) => [s.status, s._count._all])) as Record<string, number>,
    nextRetry,
    lastDeliveryAt: lastDelivery?.receivedAt ?? null,
    lastReconciliation: lastRun,
  };
}
