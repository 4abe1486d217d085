// The delivery log of one endpoint, newest first, keyset-paged by (createdAt, id).
import type { z } from 'zod';
import type { listOutboundDeliveriesInput } from '../../contracts/outbound.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

export async function listOutboundDeliveries(db: DbOrTx, input: z.infer<typeof listOutboundDeliveriesInput>) {
  const where: Prisma.OutboundDeliveryWhereInput = { endpointId: input.endpointId };
  if (input.status) where.status = input.status;
  const event: Prisma.OutboundEventWhereInput = {};
  if (input.eventType) event.type = input.eventType;
  if (input.search) {
    const s = input.search;
    event.OR = /^[0-9a-f-]{36}$/i.test(s) ? [{ customerId: s }, { id: s }] : [{ id: s }];
  }
  if (Object.keys(event).length) where.event = event;
  if (input.cursor) {
    const [at, id] = input.cursor.split('|');
    const createdAt = new Date(at!);
    where.AND = [{ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }];
  }
  const rows = await db.outboundDelivery.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    include: { event: { select: { id: true, type: true, version: true, customerId: true, createdAt: true } } },
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor: rows.length > input.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null,
  };
}
