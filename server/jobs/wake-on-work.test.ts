// outbound-dispatch and auto-topup run when there is work, not on a ticker: the real pg-boss runner
// with no cron (schedules: false) and nobody sending the jobs. A ledger write's outbox row reaches
// the endpoint within seconds (the trigger's notice on the change feed wakes the job); a pending
// top-up is taken at once; a retry due later runs when it is due (the run queued for that moment);
// without a live feed (the embedded database) the pending check stands in; and an idle server
// queues no job at all, cron aside.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { until } from '../../test/until.ts';
import { ChangeFeed } from '../db/change-feed.ts';
import type { Actor } from '../lib/actor.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { ensureCustomer } from '../modules/customers/ensure-customer.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { createEndpoint } from '../modules/outbound/create-endpoint.ts';
import { autoTopupJob } from './auto-topup.ts';
import { outboundDispatchJob, OUTBOUND_DISPATCH_JOB } from './outbound-dispatch.ts';
import { startJobRunner, type JobRunner } from './runner.ts';

let t: TestContext;
let feed: ChangeFeed;
let server: Server;
let receiverUrl = '';
const received: Array<{ at: number; id: string; type: string }> = [];
let status = 200;
const admin: Actor = { type: 'staff', id: 'admin-1', email: 'a@x.test', role: 'admin', ip: null };
const jobs = [
  { ...outboundDispatchJob, pollingIntervalSeconds: 0.5 },
  { ...autoTopupJob, pollingIntervalSeconds: 0.5 },
];

beforeAll(async () => {
  t = await createTestDeps();
  feed = new ChangeFeed(t.db.url);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const envelope = JSON.parse(body) as { id: string; type: string };
      received.push({ at: Date.now(), id: envelope.id, type: envelope.type });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await feed?.stop();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.db.drop();
});

async function grant(externalId: string, credits: number) {
  const c = await ensureCustomer(t.deps.prisma, { externalId, email: `${externalId}@x.test` });
  await grantCredits(t.deps.prisma, {
    customerId: c.id,
    credits,
    type: 'grant',
    source: 'promo',
    costBasis: 'free',
    idempotencyKey: `wake:${externalId}`,
    reason: 'promo',
    actor: SYSTEM_ACTOR,
  });
  return c;
}

/** pg-boss jobs of these queues created since `since`, wakes apart from the rest. */
async function jobsSince(since: Date, names: string[]) {
  const rows = await t.deps.prisma.$queryRaw<Array<{ name: string; key: string | null }>>`
    SELECT name, singleton_key AS key FROM pgboss.job WHERE name = ANY(${names}) AND created_on > ${since}`;
  return {
    wakes: rows.filter((r) => r.key?.startsWith('wake')).length,
    other: rows.filter((r) => !r.key?.startsWith('wake')).length,
  };
}

describe.runIf(!!process.env.TEST_DATABASE_URL)('jobs woken by their work', () => {
  let runner: JobRunner;

  it('delivers an outbound event within seconds of the ledger write, with no cron and no ticker', async () => {
    expect(await feed.start()).toBe(true);
    runner = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs, schedules: false, changes: feed });
    await createEndpoint(t.deps.prisma, {
      url: receiverUrl,
      description: 'product backend',
      eventTypes: ['credits.granted'],
      actor: admin,
      policy: { development: true },
    });
    // Let the start-up wake pass: from here only the write can start a run.
    await new Promise((r) => setTimeout(r, 1500));
    const written = Date.now();
    const c = await grant('wake_fast', 100);
    const event = await t.deps.prisma.outboundEvent.findFirstOrThrow({
      where: { customerId: c.id, type: 'credits.granted' },
    });
    const got = await until(async () => received.find((r) => r.id === event.id), 5000, 20);
    expect(got.at - written).toBeLessThan(3000);
  });

  it('charges a pending top-up at once (its insert wakes auto-topup)', async () => {
    const c = await ensureCustomer(t.deps.prisma, { externalId: 'wake_topup', email: 'wake_topup@x.test' });
    const written = Date.now();
    const topup = await t.deps.prisma.autoTopup.create({
      data: {
        customerId: c.id,
        status: 'pending',
        packKey: 'pack_1000',
        balanceBefore: 10,
        balanceAfter: 5,
        threshold: 8,
      },
    });
    // No Stripe connection in tests: the job takes it and skips it, which is what proves it ran.
    const done = await until(
      async () => (await t.deps.prisma.autoTopup.findUniqueOrThrow({ where: { id: topup.id } })).status === 'skipped',
      5000,
      20,
    );
    expect(done).toBe(true);
    expect(Date.now() - written).toBeLessThan(3000);
  });

  it('attempts a retry when it falls due: the failing run queues the next one for that moment', async () => {
    status = 500;
    const c = await grant('wake_retry', 50);
    const event = await t.deps.prisma.outboundEvent.findFirstOrThrow({
      where: { customerId: c.id, type: 'credits.granted' },
    });
    const failed = await until(() =>
      t.deps.prisma.outboundDelivery.findFirst({ where: { eventId: event.id, status: 'retrying' } }),
    );
    // 30 s of backoff: a run is queued for that second, not before.
    const due = new Date(Math.ceil(failed.nextAttemptAt!.getTime() / 1000) * 1000);
    const queued = await until(async () => {
      const rows = await t.deps.prisma.$queryRaw<Array<{ start: Date }>>`
        SELECT start_after AS start FROM pgboss.job
         WHERE name = ${OUTBOUND_DISPATCH_JOB} AND singleton_key = ${`wake-at:${due.toISOString()}`}`;
      return rows[0];
    });
    expect(queued.start.getTime()).toBe(due.getTime());

    // The same with a short backoff, to watch it happen: the delivery is due in 3 s, one run (with
    // nothing to do yet) queues the next, and nothing else starts one.
    status = 200;
    const dueAt = new Date(Date.now() + 3000);
    await t.deps.prisma.outboundDelivery.update({ where: { id: failed.id }, data: { nextAttemptAt: dueAt } });
    const before = received.filter((r) => r.id === event.id).length;
    runner.wake(OUTBOUND_DISPATCH_JOB);
    await until(
      async () =>
        (await t.deps.prisma.outboundDelivery.findUniqueOrThrow({ where: { id: failed.id } })).status === 'succeeded',
      8000,
      20,
    );
    const retried = received.filter((r) => r.id === event.id);
    expect(retried).toHaveLength(before + 1);
    expect(retried.at(-1)!.at).toBeGreaterThanOrEqual(dueAt.getTime());
    expect(retried.at(-1)!.at - dueAt.getTime()).toBeLessThan(2500);
  });

  it('queues no job while idle, cron apart (no 2-second ticking)', async () => {
    await runner.stop();
    // With its schedules, as a server runs: the per-minute sweep is the only thing allowed to queue.
    runner = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs, changes: feed });
    await new Promise((r) => setTimeout(r, 1500)); // the start-up wakes
    const since = new Date();
    await new Promise((r) => setTimeout(r, 7000));
    // Nothing was written but cron runs: no wake, and at most one per job (the per-minute sweep, when
    // the 7 s window crosses a minute; pg-boss may queue it directly, not through send-it, so it is
    // bounded rather than counted). A ticker every 2 s would have queued 3 or more per job.
    const names = [outboundDispatchJob.name, autoTopupJob.name];
    const seen = await jobsSince(since, names);
    expect(seen.wakes).toBe(0);
    expect(seen.other).toBeLessThanOrEqual(names.length);
    await runner.stop();
  });

  it('without a live change feed (the embedded database), asks whether work waits and wakes the job', async () => {
    runner = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs, schedules: false, changes: null });
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const since = new Date();
      await new Promise((r) => setTimeout(r, 4500));
      // The check found nothing to do: still no job queued.
      expect(await jobsSince(since, [outboundDispatchJob.name, autoTopupJob.name])).toEqual({ wakes: 0, other: 0 });
      const written = Date.now();
      const c = await grant('wake_probe', 20);
      const event = await t.deps.prisma.outboundEvent.findFirstOrThrow({
        where: { customerId: c.id, type: 'credits.granted' },
      });
      const got = await until(async () => received.find((r) => r.id === event.id), 6000, 20);
      expect(got.at - written).toBeLessThan(4000);
    } finally {
      await runner.stop();
    }
  });
});
