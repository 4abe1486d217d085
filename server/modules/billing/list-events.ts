// The staff list of stored Stripe events, newest first, with keyset pagination on (created, id).
import type { Db } from '../../db/client.ts';
import type { ListEventsInput } from '../../contracts/webhooks.ts';
import type { Prisma } from '../../generated/prisma/client.ts';

function decodeCursor(cursor: string | null | undefined): { created: Date; id: string } | null {
  if (!cursor) return null;
  const [ms, id] = cursor.split('|');
  const created = new Date(Number(ms));
  return id && !Number.isNaN(created.getTime()) ? { created, id } : null;
}

export async function listEvents(db: Db, input: ListEventsInput) {
  const limit = input.limit ?? 50;
  const where: Prisma.StripeEventWhereInput[] = [];
  if (input.status) where.push({ status: input.status });
  if (input.type) where.push({ type: input.type });
  if (input.customerId) where.push({ customerId: input.customerId });
  if (input.search) where.push({ OR: [{ id: input.search }, { objectId: input.search }] });
  const after = decodeCursor(input.cursor);
  if (after) {
    where.push({ OR: [{ created: { lt: after.created } }, { created: after.created, id: { lt: after.id } }] });
  }
  const rows = await db.stripeEvent.findMany({
    where: { AND: where },
    orderBy: [{ created: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: {
      id: true,
      type: true,
      created: true,
      livemode: true,
      objectId: true,
      customerId: true,
      status: true,
      attempts: true,
      lastError: true,
      nextAttemptAt: true,
      processedAt: true,
      source: true,
      receivedAt: true,
      _count: { select: { deliveries: true } },
      processing: { orderBy: { id: 'desc' }, take: 1, select: { outcome: true, summary: true, error: true } },
    },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ _count, processing, ...e }) => ({
      ...e,
      deliveries: _count.deliveries,
      lastOutcome: processing[0] ?? null,
    })),
    nextCursor: rows.length > limit && last ? `${last.created.getTime()}|${last.id}` : null,
  };
}
