// The Blocks page: customers blocked now, newest block first, paged by a (blockedAt, id) keyset
// cursor, with the block that applies, who made it (the rule or a staff member), their disputes
// in the rule's window, and the Radar list state.
import type { DbOrTx } from '../../db/tx.ts';
import { decodeKeyset, olderThan, pageOf } from '../../lib/keyset-cursor.ts';
import { getRules } from '../catalog/get-rules.ts';

const DAY_MS = 86_400_000;

export async function listBlockedCustomers(
  db: DbOrTx,
  input: { cursor?: string | null; limit: number },
  options: { now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const rules = await getRules(db);
  const since = new Date(now.getTime() - rules.autoBlockWindowDays * DAY_MS);
  const where = { status: 'blocked' as const };
  const after = decodeKeyset(input.cursor);
  const [total, rows] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({
      where: after ? { AND: [where, olderThan('blockedAt', after)] } : where,
      // A blocked customer always has blockedAt (set with the status in record-block.ts).
      orderBy: [{ blockedAt: 'desc' }, { id: 'desc' }],
      take: input.limit + 1,
      include: {
        blocks: { where: { action: 'block' }, orderBy: { createdAt: 'desc' }, take: 1 },
        _count: { select: { disputes: { where: { stripeCreated: { gte: since } } } } },
      },
    }),
  ]);
  const { items: customers, nextCursor } = pageOf(rows, input.limit, (c) => ({
    at: c.blockedAt ?? new Date(0),
    id: c.id,
  }));
  return {
    total,
    nextCursor,
    rule: { autoBlockDisputes: rules.autoBlockDisputes, autoBlockWindowDays: rules.autoBlockWindowDays },
    items: customers.map(({ blocks, _count, ...c }) => ({
      customer: {
        id: c.id,
        externalId: c.externalId,
        email: c.email,
        name: c.name,
        blockedReason: c.blockedReason,
        blockedAt: c.blockedAt,
      },
      block: blocks[0] ?? null,
      byRule: blocks[0]?.actorId === 'system',
      disputesInWindow: _count.disputes,
    })),
  };
}
