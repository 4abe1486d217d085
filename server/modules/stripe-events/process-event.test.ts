// The event status machine: retries with backoff, the give-up point, the crash window between the
// 2xx and the first attempt, and the credit math for dashboard refunds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event } from '../../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../../test/stripe/harness.ts';
import { stripeHandlers } from '../../stripe/handlers/index.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import type { EventHandler, HandlerMap, StripeObjectOf } from './event-handler.ts';
import { ingestEvent } from './ingest-event.ts';
import { processDueEvents } from './process-due-events.ts';
import { processEvent } from './process-event.ts';
import { MAX_PROCESSING_ATTEMPTS, retryDelayMs } from './retry-policy.ts';

let h: WebhookHarness;
let broken = true;
const real: EventHandler<StripeObjectOf<'checkout.session.completed'>, unknown> = stripeHandlers[
  'checkout.session.completed'
];
// checkout.session.completed fails while `broken`; every other type is the production handler.
const handlers: HandlerMap = {
  ...stripeHandlers,
  'checkout.session.completed': {
    ...real,
    async apply(tx, input) {
      // A real database error: its text names the SQL and Prisma's files, which staff must not see.
      if (broken) await tx.$queryRawUnsafe('SELECT secret_column FROM no_such_table_injected');
      return real.apply(tx, input);
    },
  },
};

beforeAll(async () => {
  h = await createWebhookHarness({ handlers });
});
afterAll(async () => {
  await h?.close();
});

describe('retries', () => {
  it('a failing event is deferred with backoff, retried, and applied once it works', async () => {
    broken = true;
    const e = event('checkout.session.completed', checkoutSession({ userId: 'retry_1', kind: 'pack', key: 'starter' }));
    const res = await h.deliver(e);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'deferred' });
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
    expect(row).toMatchObject({ status: 'deferred', attempts: 1, cause: 'internal_error' });
    expect(row.lastError).toMatch(/^an internal error stopped it; .*reference [0-9a-f]{12} in the server log/);
    const delay = (row.nextAttemptAt?.getTime() ?? 0) - Date.now();
    expect(delay).toBeGreaterThan(10_000);
    expect(delay).toBeLessThanOrEqual(15_000);

    const ctx = pipelineContext(h.t.deps, handlers);
    // Not due yet: the sweep leaves it alone.
    expect(await processDueEvents(ctx)).toEqual([]);
    broken = false;
    const results = await processDueEvents(ctx, { now: new Date(Date.now() + 20_000) });
    expect(results).toMatchObject([{ eventId: e.id, status: 'processed' }]);
    const after = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: e.id as string },
      include: { processing: true },
    });
    expect(after).toMatchObject({ status: 'processed', attempts: 2, lastError: null, nextAttemptAt: null });
    expect(after.processing.map((p) => p.outcome)).toEqual(['error', 'processed']);
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'retry_1' } })).balance).toBe(500);
  });

  it(`gives up after ${MAX_PROCESSING_ATTEMPTS} attempts: failed, with its error, for support`, async () => {
    broken = true;
    const e = event('checkout.session.completed', checkoutSession({ userId: 'retry_2', kind: 'pack', key: 'starter' }));
    await h.deliver(e);
    const ctx = pipelineContext(h.t.deps, handlers);
    for (let i = 1; i < MAX_PROCESSING_ATTEMPTS; i++) {
      await processDueEvents(ctx, { now: new Date(Date.now() + 365 * 86_400_000) });
    }
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_PROCESSING_ATTEMPTS, nextAttemptAt: null });
    expect(row.cause).toBe('internal_error');
    expect(row.lastError).not.toMatch(/no_such_table|SELECT|node_modules|\.ts/);
    expect(await processDueEvents(ctx, { now: new Date(Date.now() + 365 * 86_400_000) })).toEqual([]);
    // Support fixes the cause and reprocesses.
    broken = false;
    const result = await processEvent(ctx, e.id as string, { force: true, actorId: 'staff-1' });
    expect(result.status).toBe('processed');
    broken = true;
  });

  it('raw database errors stay in the log under a correlation id; staff see the cause in words', async () => {
    broken = true;
    const e = event('checkout.session.completed', checkoutSession({ userId: 'retry_3', kind: 'pack', key: 'starter' }));
    await ingestEvent(h.prisma, {
      event: e as never,
      rawJson: JSON.stringify(e),
      objectId: null,
      handled: true,
      source: 'webhook',
    });
    const logged: Array<{ obj: Record<string, unknown>; msg?: string }> = [];
    const capture = (obj: object, msg?: string) => void logged.push({ obj: obj as Record<string, unknown>, msg });
    const ctx = { ...pipelineContext(h.t.deps, handlers), log: { info: capture, warn: capture, error: capture } };
    const result = await processEvent(ctx, e.id as string, { actorId: 'staff-1' });
    const row = await h.prisma.stripeEvent.findUniqueOrThrow({
      where: { id: e.id as string },
      include: { processing: true },
    });
    const correlationId = (row.causeDetail as { correlationId: string }).correlationId;
    expect(correlationId).toMatch(/^[0-9a-f]{12}$/);
    expect(row).toMatchObject({ status: 'failed', cause: 'internal_error' });
    for (const text of [row.lastError, result.error, ...row.processing.map((p) => p.error)]) {
      expect(text).toContain(correlationId);
      expect(text).not.toMatch(/no_such_table|secret_column|prisma|node_modules/i);
    }
    // The log has the raw error, findable by the id staff see.
    const entry = logged.find((l) => l.obj.correlationId === correlationId);
    expect(String((entry?.obj.err as Error | undefined)?.message)).toContain('no_such_table_injected');
    broken = false;
  });

  it('an event stored but never attempted (crash after the 2xx) is picked up by the sweep', async () => {
    broken = false;
    const e = event(
      'checkout.session.completed',
      checkoutSession({ userId: 'orphan_1', kind: 'pack', key: 'starter' }),
    );
    await ingestEvent(h.prisma, {
      event: e as never,
      rawJson: JSON.stringify(e),
      objectId: null,
      handled: true,
      source: 'webhook',
    });
    const ctx = pipelineContext(h.t.deps, handlers);
    expect(await processDueEvents(ctx)).toEqual([]);
    const results = await processDueEvents(ctx, { now: new Date(Date.now() + 120_000) });
    expect(results).toMatchObject([{ eventId: e.id, status: 'processed' }]);
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'orphan_1' } })).balance).toBe(500);
  });

  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(retryDelayMs(40)).toBe(6 * 3600_000);
  });
});
