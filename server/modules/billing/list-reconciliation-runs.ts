import type { Db } from '../../db/client.ts';

export function listReconciliationRuns(db: Db, input: { limit?: number } = {}) {
  return db.reconciliationRun.findMany({ orderBy: { startedAt: 'desc' }, take: input.limit ?? 10 });
}
