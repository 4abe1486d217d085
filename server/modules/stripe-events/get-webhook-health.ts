// The webhook pipeline at a glance: rejected requests since a time ("signature failures since
// 10:02"), events per status, what is waiting for a retry or for support, the last arrival and the
// last reconciliation run.
import type { Db } from '../../db/client.ts';

export async function getWebhookHealth(db: Db, input: { since?: Date; now?: Date } = {}) {
  const now = input.now ?? new Date();
  const since = input.since ?? new Date(now.getTime() - 86_400_000);
  const [rejections, firstRejection, lastRejection, byStatus, lastDelivery, nextRetry, lastRun] = await Promise.all([
    db.webhookRejection.groupBy({ by: ['reason'], where: { receivedAt: { gte: since } }, _count: { _all: true } }),
    db.webhookRejection.findFirst({ where: { receivedAt: { gte: since } }, orderBy: { id: 'asc' } }),
    db.webhookRejection.findFirst({ orderBy: { id: 'desc' } }),
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
      total: rejections.reduce((n, r) => n + r._count._all, 0),
      byReason: Object.fromEntries(rejections.map((r) => [r.reason, r._count._all])) as Record<string, number>,
      firstAt: firstRejection?.receivedAt ?? null,
      lastAt: lastRejection?.receivedAt ?? null,
    },
    events: Object.fromEntries(byStatus.map((s) => [s.status, s._count._all])) as Record<string, number>,
    nextRetry,
    lastDeliveryAt: lastDelivery?.receivedAt ?? null,
    lastReconciliation: lastRun,
  };
}
