// Staff customer list: search by any handle (email, name, the product's user id, our id, cus_),
// server-paginated, newest first.
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListCustomersInput {
  query?: string;
  status?: 'active' | 'blocked';
  page?: number;
  pageSize?: number;
}

export async function listCustomers(db: DbOrTx, input: ListCustomersInput = {}) {
  const page = Math.max(1, input.page ?? 1);
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
  const [items, total] = await Promise.all([
    db.customer.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.customer.count({ where }),
  ]);
  return { items, total, page, pageSize };
}
