// The retry sweep: events whose next attempt is due, plus events stored but never attempted
// (the process died between the 2xx and the inline attempt). Oldest Stripe `created` first, so a
// subscription is applied before the invoices that refer to it.
import { processEvent, type PipelineContext, type ProcessResult } from './process-event.ts';

/** An event stored this long ago and still never attempted is assumed orphaned by a crash. */
const ORPHAN_AFTER_MS = 60_000;

export async function processDueEvents(
  ctx: PipelineContext,
  input: { limit?: number; now?: Date } = {},
): Promise<ProcessResult[]> {
  const now = input.now ?? ctx.now?.() ?? new Date();
  const due = await ctx.prisma.stripeEvent.findMany({
    where: {
      OR: [
        { status: 'deferred', nextAttemptAt: { lte: now } },
        { status: 'received', receivedAt: { lte: new Date(now.getTime() - ORPHAN_AFTER_MS) } },
      ],
    },
    orderBy: [{ created: 'asc' }, { id: 'asc' }],
    take: input.limit ?? 100,
    select: { id: true },
  });
  const results: ProcessResult[] = [];
  for (const { id } of due) results.push(await processEvent(ctx, id));
  return results;
}
