// The audit log, read-only: newest first, filtered by who, what, which target or customer and
// when, paged by cursor on (created_at, id) so every filter walks one of audit_log's indexes.
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { ListAuditLogQuery } from '../../contracts/support.ts';
import { AppError } from '../../lib/app-error.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

const AUTOMATIC = new Set(['system', 'stripe', 'service']);

function decode(cursor: string | null | undefined): { at: Date; id: bigint } | null {
  if (!cursor) return null;
  const match = /^(\d+):(\d+)$/.exec(cursor);
  if (!match) throw new AppError('VALIDATION', 'This audit log position is not valid; start from the top');
  return { at: new Date(Number(match[1])), id: BigInt(match[2]!) };
}

export async function listAuditLog(db: DbOrTx, input: ListAuditLogQuery) {
  const limit = input.limit ?? 50;
  const cursor = decode(input.cursor);
  const actor = input.actor?.trim();
  const where: Prisma.AuditLogWhereInput = {
    ...(actor
      ? actor.includes('@')
        ? { actorEmail: actor.toLowerCase() }
        : AUTOMATIC.has(actor)
          ? { actorId: { startsWith: `${likeLiteral(actor)}:` } }
          : { actorId: actor }
      : {}),
    ...(input.action ? { action: { startsWith: likeLiteral(input.action) } } : {}),
    ...(input.targetType ? { targetType: input.targetType } : {}),
    ...(input.targetId ? { targetId: input.targetId } : {}),
    ...(input.customerId ? { customerId: input.customerId } : {}),
  };
  const and: Prisma.AuditLogWhereInput[] = [];
  if (input.from) and.push({ createdAt: { gte: input.from } });
  if (input.to) and.push({ createdAt: { lt: input.to } });
  if (cursor) and.push({ OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] });
  const rows = await db.auditLog.findMany({
    where: { ...where, ...(and.length ? { AND: and } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const customers = await db.customer.findMany({
    where: { id: { in: [...new Set(page.map((r) => r.customerId).filter((id): id is string => !!id))] } },
    select: { id: true, email: true, externalId: true, name: true },
  });
  const byId = new Map(customers.map((c) => [c.id, c]));
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      ...r,
      id: r.id.toString(),
      customer: r.customerId ? (byId.get(r.customerId) ?? null) : null,
    })),
    nextCursor: rows.length > limit && last ? `${last.createdAt.getTime()}:${last.id}` : null,
  };
}
