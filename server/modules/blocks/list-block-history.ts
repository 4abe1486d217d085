// Every block and unblock, newest first, optionally for one customer: who, why, when, and what
// the Radar list sync did. Staff are named by email when the account still exists. Paged by a
// (createdAt, id) keyset cursor, so a block made while someone pages does not shift the pages.
import type { DbOrTx } from '../../db/tx.ts';
import { decodeKeyset, olderThan, pageOf } from '../../lib/keyset-cursor.ts';

export async function listBlockHistory(
  db: DbOrTx,
  input: { customerId?: string | null; cursor?: string | null; limit: number },
) {
  const where = input.customerId ? { customerId: input.customerId } : {};
  const after = decodeKeyset(input.cursor);
  const [total, rows] = await Promise.all([
    db.blockEvent.count({ where }),
    db.blockEvent.findMany({
      where: after ? { AND: [where, olderThan('createdAt', after)] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: input.limit + 1,
      include: { customer: { select: { id: true, email: true, name: true, externalId: true, status: true } } },
    }),
  ]);
  const { items: events, nextCursor } = pageOf(rows, input.limit, (e) => ({ at: e.createdAt, id: e.id }));
  const staffIds = [...new Set(events.map((e) => e.actorId).filter((id) => id !== 'system'))];
  const staff = staffIds.length
    ? await db.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, email: true, name: true } })
    : [];
  const byId = new Map(staff.map((s) => [s.id, s]));
  return {
    total,
    nextCursor,
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
