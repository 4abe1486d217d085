// Staff customer list: search by any handle (email, name, the product's user id, our id, cus_),
// newest first, paged by a (createdAt, id) keyset cursor.
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { decodeKeyset, olderThan, pageOf } from '../../lib/keyset-cursor.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListCustomersInput {
  query?: string;
  status?: 'active' | 'blocked';
  cursor?: string | null;
  pageSize?: number;
}

export async function listCustomers(db: DbOrTx, input: ListCustomersInput = {}) {
  const after = decodeKeyset(input.cursor);
  const pageSize = Math.min(100, Math.max(1, input.pageSize ?? 25));
  const q = input.query?.trim();
  const where: Prisma.CustomerWhereInput = {
    ...(input.status ? { status: input.status } : {}),
    ...(q
      ? {
          OR: [
            { email: { startsWith: likeLiteral(q.toLowerCase()) } },
            { name: { contains: likeLiteral(q), mode: 'insensitive' } },
            { externalId: q },
            { stripeCustomerId: q },
            ...(UUID.test(q) ? [{ id: q }] : []),
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.customer.findMany({
      where: after ? { AND: [where, olderThan('createdAt', after)] } : where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: pageSize + 1,
    }),
    db.customer.count({ where }),
  ]);
  const { items, nextCursor } = pageOf(rows, pageSize, (c) => ({ at: c.createdAt, id: c.id }));
  return { items, total, pageSize, nextCursor };
}
