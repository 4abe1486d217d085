// Endpoints for the Settings page, each with its latest delivery outcome and backlog.
import type { DbOrTx } from '../../db/tx.ts';
import { endpointView } from './endpoint-view.ts';

export async function listEndpoints(db: DbOrTx) {
  const endpoints = await db.outboundEndpoint.findMany({ orderBy: { createdAt: 'asc' } });
  const backlog = await db.outboundDelivery.groupBy({
    by: ['endpointId', 'status'],
    where: { status: { in: ['pending', 'sending', 'retrying', 'failed'] } },
    _count: { _all: true },
  });
  return endpoints.map((e) => {
    const counts = Object.fromEntries(
      backlog.filter((b) => b.endpointId === e.id).map((b) => [b.status, b._count._all]),
    ) as Partial<Record<'pending' | 'sending' | 'retrying' | 'failed', number>>;
    return { ...endpointView(e), counts };
  });
}
