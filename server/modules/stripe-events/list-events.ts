// The staff list of stored Stripe events, newest first, with keyset pagination on (created, id).
import type { Db } from '../../db/client.ts';
import type { ListEventsInput } from '../../contracts/webhooks.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { EVENT_SUMMARY_SELECT, toEventSummary } from './event-summary.ts';

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
    select: EVENT_SUMMARY_SELECT,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toEventSummary),
    nextCursor: rows.length > limit && last ? `${last.created.getTime()}|${last.id}` : null,
  };
}
