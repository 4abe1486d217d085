// Reconciliation: Stripe gives up retrying a delivery after 3 days (a few hours in test mode), and
// an outage can be longer. This lists Stripe's events (GET /v1/events keeps 30 days) from a little
// before the newest one we have, ingests every one we never received (recorded as delivered by
// reconciliation) and applies it; then it runs the drift check. The run and its findings are
// stored in reconciliation_run for the support desk.
import { describeEventCause } from '../../contracts/event-causes.ts';
import { failureCause } from './failure-cause.ts';
import type { ReconciliationRun } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { jsonColumn } from '../../lib/json.ts';
import { checkDrift } from './check-drift.ts';
import { ingestEvent } from './ingest-event.ts';
import { processEvent, type PipelineContext } from './process-event.ts';

const DAY_MS = 86_400_000;
/** Stripe keeps events 30 days; stay a little inside that. */
const STRIPE_EVENT_WINDOW_MS = 30 * DAY_MS - 10 * 60_000;
/** Re-list this far before the newest event we have: older events may have failed delivery while newer ones arrived. */
const DEFAULT_LOOKBACK_MS = 3 * DAY_MS;
const MAX_EVENTS = 20_000;

export async function reconcileEvents(
  ctx: PipelineContext,
  input: { lookbackMs?: number } = {},
): Promise<ReconciliationRun> {
  const stripe = ctx.stripe;
  if (!stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured: nothing to reconcile against');
  const now = ctx.now?.() ?? new Date();
  const run = await ctx.prisma.reconciliationRun.create({ data: { status: 'running', startedAt: now } });
  try {
    const floor = new Date(now.getTime() - STRIPE_EVENT_WINDOW_MS);
    const newest = await ctx.prisma.stripeEvent.aggregate({ _max: { created: true } });
    const newestAt = newest._max.created;
    const since = newestAt
      ? new Date(Math.max(floor.getTime(), newestAt.getTime() - (input.lookbackMs ?? DEFAULT_LOOKBACK_MS)))
      : floor;

    const listed = [];
    for await (const event of stripe.events.list({
      created: { gte: Math.floor(since.getTime() / 1000) },
      limit: 100,
    })) {
      listed.push(event);
      if (listed.length >= MAX_EVENTS) break;
    }
    const known = new Set<string>();
    for (let i = 0; i < listed.length; i += 1000) {
      const ids = listed.slice(i, i + 1000).map((e) => e.id);
      const rows = await ctx.prisma.stripeEvent.findMany({ where: { id: { in: ids } }, select: { id: true } });
      for (const r of rows) known.add(r.id);
    }
    // Oldest first, so a subscription is applied before the invoices that refer to it. Stripe lists
    // newest first and events of one second share `created`: reversed, the stable sort keeps them
    // in the order they happened.
    const missing = listed
      .filter((e) => !known.has(e.id))
      .reverse()
      .sort((a, b) => a.created - b.created);
    const ingested: Array<{ id: string; type: string; status: string }> = [];
    for (const event of missing) {
      const handled = Object.hasOwn(ctx.handlers, event.type);
      const stored = await ingestEvent(ctx.prisma, {
        event,
        rawJson: JSON.stringify(event),
        objectId: (event.data.object as { id?: string }).id ?? null,
        handled,
        source: 'reconciliation',
      });
      let status: string = stored.status ?? 'received';
      if (handled && !stored.duplicate) status = (await processEvent(ctx, event.id)).status;
      ingested.push({ id: event.id, type: event.type, status });
    }

    const drift = await checkDrift(ctx.prisma, { stripe, since: floor });
    return await ctx.prisma.reconciliationRun.update({
      where: { id: run.id },
      data: {
        status: 'succeeded',
        finishedAt: ctx.now?.() ?? new Date(),
        eventsSeen: listed.length,
        eventsIngested: ingested.length,
        findings: jsonColumn({ since: since.toISOString(), ingested, drift }),
      },
    });
  } catch (err) {
    // Staff see the cause in words and a reference; the raw error (SQL, paths) stays in the log.
    const { cause } = failureCause(err);
    ctx.log.error({ err, runId: run.id, cause: cause.detail }, 'reconciliation failed');
    return ctx.prisma.reconciliationRun.update({
      where: { id: run.id },
      data: { status: 'failed', finishedAt: new Date(), error: describeEventCause(cause) },
    });
  }
}
