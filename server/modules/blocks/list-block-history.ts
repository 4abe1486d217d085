// Every block and unblock, newest first, optionally for one customer: who, why, when, and what
// the Radar list sync did. Staff are named by email when the account still exists.
import type { DbOrTx } from '../../db/tx.ts';

export async function listBlockHistory(db: DbOrTx, input: { customerId?: string | null; page: number; limit: number }) {
  const where = input.customerId ? { customerId: input.customerId } : {};
  const [total, events] = await Promise.all([
    db.blockEvent.count({ where }),
    db.blockEvent.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (input.page - 1) * input.limit,
      take: input.limit,
      include: { customer: { select: { id: true, email: true, name: true, externalId: true, status: true } } },
    }),
  ]);
  const staffIds = [...new Set(events.map((e) => e.actorId).filter((id) => id !== 'system'))];
  const staff = staffIds.length
    ? await db.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, email: true, name: true } })
    : [];
  const byId = new Map(staff.map((s) => [s.id, s]));
  return {
    total,
    page: input.page,
    limit: input.limit,
    items: events.map((e) => ({
      ...e,
      actor:
        e.actorId === 'system'
          ? { kind: 'rule' as const, label: 'Auto-block rule' }
          : {
              kind: 'staff' as const,
              label: byId.get(e.actorId)?.email ?? e.actorId,
            },
    })),
  };
}
