// Webhook arrivals, newest first: duplicates and their outcome and duration included.
import type { ListDeliveriesInput } from '../../contracts/webhooks.ts';
import type { Db } from '../../db/client.ts';

export async function listDeliveries(db: Db, input: ListDeliveriesInput) {
  const limit = input.limit ?? 50;
  const before = input.cursor ? BigInt(input.cursor) : null;
  const rows = await db.webhookDelivery.findMany({
    where: {
      ...(input.eventId ? { eventId: input.eventId } : {}),
      ...(input.duplicate !== undefined ? { duplicate: input.duplicate } : {}),
      ...(before ? { id: { lt: before } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
    include: { event: { select: { type: true, status: true, customerId: true } } },
  });
  const page = rows.slice(0, limit);
  return { items: page, nextCursor: rows.length > limit ? (page.at(-1)?.id.toString() ?? null) : null };
}
