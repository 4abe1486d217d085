// The Blocks page: customers blocked now (newest first) with the block that applies, who made it
// (the rule or a staff member), their disputes in the rule's window, and the Radar list state.
import type { DbOrTx } from '../../db/tx.ts';
import { getRules } from '../catalog/get-rules.ts';

const DAY_MS = 86_400_000;

export async function listBlockedCustomers(
  db: DbOrTx,
  input: { page: number; limit: number },
  options: { now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const rules = await getRules(db);
  const since = new Date(now.getTime() - rules.autoBlockWindowDays * DAY_MS);
  const where = { status: 'blocked' as const };
  const [total, customers] = await Promise.all([
    db.customer.count({ where }),
    db.customer.findMany({
      where,
      orderBy: [{ blockedAt: 'desc' }, { id: 'asc' }],
      skip: (input.page - 1) * input.limit,
      take: input.limit,
      include: {
        blocks: { where: { action: 'block' }, orderBy: { createdAt: 'desc' }, take: 1 },
        _count: { select: { disputes: { where: { stripeCreated: { gte: since } } } } },
      },
    }),
  ]);
  return {
    total,
    page: input.page,
    limit: input.limit,
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
