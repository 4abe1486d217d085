// One id follows a Stripe event from its delivery to its ledger entry: the delivering request's id
// (x-request-id) is stored on the event, the inline attempt logs under it, and so does the
// background retry that finally applies it (captured log lines, not just the stored column).
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { checkoutSession, event, signedHeader } from '../../test/stripe/builders.ts';
import { seedTestCatalog, WEBHOOK_SECRET } from '../../test/stripe/harness.ts';
import { buildApp } from '../app.ts';
import type { EventHandler, HandlerMap } from '../modules/stripe-events/event-handler.ts';
import { processDueEvents } from '../modules/stripe-events/process-due-events.ts';
import { stripeHandlers } from './handlers/index.ts';
import { pipelineContext } from './pipeline.ts';

type Line = Record<string, unknown>;
function capture(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as Line);
      done();
    },
  });
  return { stream, lines };
}

const TYPE = 'checkout.session.completed';
let t: TestContext;
let faulty: FastifyInstance;
let production: FastifyInstance;
const requestLog = capture();
/** Sessions whose first processing attempt fails (a handler that throws once). */
const failOnce = new Set<string>();

beforeAll(async () => {
  t = await createTestDeps({ env: { STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, LOG_LEVEL: 'info' } });
  await seedTestCatalog(t.deps.prisma);
  const real = stripeHandlers[TYPE] as EventHandler<unknown, unknown>;
  const wrapped: EventHandler<unknown, unknown> = {
    ...real,
    async apply(tx, input) {
      const id = (input.object as { id: string }).id;
      if (failOnce.delete(id)) throw new Error('injected: first attempt fails');
      return real.apply(tx, input);
    },
  };
  faulty = await buildApp(t.deps, {
    logStream: requestLog.stream,
    stripeHandlers: { ...stripeHandlers, [TYPE]: wrapped } as HandlerMap,
  });
  production = await buildApp(t.deps, { logger: false });
});
afterAll(async () => {
  await faulty?.close();
  await production?.close();
  await t?.db.drop();
});

function deliver(app: FastifyInstance, e: Record<string, unknown>, requestId: string) {
  const payload = JSON.stringify(e);
  return app.inject({
    method: 'POST',
    url: '/api/stripe/webhook',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': signedHeader(payload, WEBHOOK_SECRET),
      'x-request-id': requestId,
    },
    payload,
  });
}

describe('request id across the webhook pipeline', () => {
  it('follows an event from its delivery through a background retry to its ledger entry', async () => {
    const userId = 'trace_user';
    const customer = await t.deps.prisma.customer.create({ data: { externalId: userId, email: 'trace@example.com' } });
    const session = checkoutSession({ userId, kind: 'pack', key: 'starter', amount: 2900 });
    failOnce.add(session.id as string);
    const e = event(TYPE, session);
    const requestId = 'req-trace-0001';

    const res = await deliver(faulty, e, requestId);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe(requestId);
    expect(res.json()).toMatchObject({ status: 'deferred' });
    const stored = await t.deps.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
    expect(stored.requestId).toBe(requestId);
    // The inline attempt's failure is logged under the delivery's id.
    const inline = requestLog.lines.find((l) => l.msg === 'stripe event processing failed' && l.eventId === e.id);
    expect(inline).toMatchObject({ reqId: requestId });

    // The retry job's pass, later and in another context: its logger knows nothing of the request.
    const jobLog = capture();
    const ctx = {
      ...pipelineContext(t.deps, { ...stripeHandlers } as HandlerMap),
      log: pino({ level: 'info' }, jobLog.stream).child({ job: 'stripe-event-retry', jobId: 'job-1' }),
      now: () => new Date(Date.now() + 60 * 60_000),
    };
    const results = await processDueEvents(ctx);
    expect(results).toContainEqual(expect.objectContaining({ eventId: e.id, status: 'processed' }));
    const retried = jobLog.lines.find((l) => l.msg === 'stripe event attempt' && l.eventId === e.id);
    expect(retried).toMatchObject({ reqId: requestId, job: 'stripe-event-retry', status: 'processed', type: TYPE });

    // ...and the ledger entry it wrote names the event, whose row names the request.
    const entries = await t.deps.prisma.ledgerEntry.findMany({ where: { customerId: customer.id } });
    expect(entries.some((x) => x.actorType === 'stripe' && x.actorId === e.id)).toBe(true);
  });

  it('stores the request id on an event stored and applied in one transaction', async () => {
    await t.deps.prisma.customer.create({ data: { externalId: 'trace_fast', email: 'fast@example.com' } });
    const e = event(TYPE, checkoutSession({ userId: 'trace_fast', kind: 'pack', key: 'starter', amount: 2900 }));
    const res = await deliver(production, e, 'req-trace-fast');
    expect(res.json()).toMatchObject({ status: 'processed', duplicate: false });
    const stored = await t.deps.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
    expect(stored.requestId).toBe('req-trace-fast');
    // The setting was local to that statement: a later insert on the pool does not inherit it.
    const other = event('customer.created', { id: 'cus_trace', object: 'customer' });
    const payload = JSON.stringify(other);
    await production.inject({
      method: 'POST',
      url: '/api/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': signedHeader(payload, WEBHOOK_SECRET) },
      payload,
    });
    const plain = await t.deps.prisma.stripeEvent.findUniqueOrThrow({ where: { id: other.id as string } });
    expect(plain.requestId).not.toBe('req-trace-fast');
    expect(plain.requestId).toEqual(expect.any(String));
    await t.deps.prisma.$executeRaw`INSERT INTO stripe_event (id, type, created, livemode, payload, updated_at)
      VALUES ('evt_trace_raw', 'customer.created', now(), false, '{}'::jsonb, now())`;
    const raw = await t.deps.prisma.stripeEvent.findUniqueOrThrow({ where: { id: 'evt_trace_raw' } });
    expect(raw.requestId).toBeNull();
  });
});
