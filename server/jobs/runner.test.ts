import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { ensureCustomer } from '../modules/customers/ensure-customer.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';
import { creditExpiryJob } from './credit-expiry.ts';
import { defineJob } from './job.ts';
import { startJobRunner, type JobRunner } from './runner.ts';
import { until } from '../../test/until.ts';

let t: TestContext;
const runners: JobRunner[] = [];

beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(async () => {
  for (const r of runners) await r.stop().catch(() => {});
  await t?.db.drop();
});

describe('job runner (pg-boss)', () => {
  it('runs the credit-expiry job on demand: expired lots get expiration entries', async () => {
    const c = await ensureCustomer(t.deps.prisma, { externalId: 'jobs-1', email: 'jobs@example.com' });
    const past = new Date(Date.now() - 60_000);
    const lot = await grantCredits(t.deps.prisma, {
      customerId: c.id,
      credits: 70,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      expiresAt: past,
      idempotencyKey: 'jobs-expired',
      reason: 'promo that ended',
      actor: SYSTEM_ACTOR,
    });
    await grantCredits(t.deps.prisma, {
      customerId: c.id,
      credits: 30,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'jobs-current',
      reason: 'promo',
      actor: SYSTEM_ACTOR,
    });

    const runner = await startJobRunner({
      deps: t.deps,
      databaseUrl: t.db.url,
      jobs: [{ ...creditExpiryJob, pollingIntervalSeconds: 0.5 }],
      schedules: false,
    });
    runners.push(runner);
    expect(await runner.send('credit-expiry')).toEqual(expect.any(String));
    const entry = await until(() =>
      t.deps.prisma.ledgerEntry.findFirst({ where: { customerId: c.id, type: 'expiration' } }),
    );
    expect(entry).toMatchObject({ credits: -70, lotId: lot.lot.id, actorType: 'system', balanceAfter: 30 });
    expect(await verifyLedger(t.deps.prisma, c.id)).toEqual([]);
    await runner.stop();
  });

  it('creates queues once, retries failures, registers and prunes schedules', async () => {
    const seen: number[] = [];
    const flaky = defineJob<{ n: number }>({
      name: 'test-flaky',
      description: 'fails on its first attempt',
      queue: { retryLimit: 2, retryDelay: 1 },
      pollingIntervalSeconds: 0.5,
      schedule: { cron: '0 3 * * *' },
      async handler({ data, retryCount }) {
        seen.push(data.n * 10 + retryCount);
        if (retryCount === 0) throw new Error('first attempt fails');
      },
    });
    const first = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs: [flaky] });
    runners.push(first);
    expect((await first.boss.getSchedules()).map((s) => s.name)).toEqual(['test-flaky']);
    await first.send('test-flaky', { n: 7 });
    await until(async () => seen.includes(71));
    expect(seen).toEqual([70, 71]);
    await first.stop();

    // Restarting with the job gone from the code removes its schedule; the queue already exists.
    const second = await startJobRunner({
      deps: t.deps,
      databaseUrl: t.db.url,
      jobs: [{ ...flaky, schedule: undefined }],
    });
    runners.push(second);
    expect(await second.boss.getSchedules()).toEqual([]);
    await second.stop();

    // Kept off the schedule by the operator (JOBS_UNSCHEDULED): no cron, still runs on demand.
    const third = await startJobRunner({
      deps: t.deps,
      databaseUrl: t.db.url,
      jobs: [flaky],
      unscheduled: ['test-flaky'],
    });
    runners.push(third);
    expect(await third.boss.getSchedules()).toEqual([]);
    await third.send('test-flaky', { n: 8 });
    await until(async () => seen.includes(81));
    await third.stop();
    await expect(
      startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs: [flaky], unscheduled: ['test-flakey'] }),
    ).rejects.toThrow('JOBS_UNSCHEDULED names no job: test-flakey');
  });
  it('starts again on a database whose queues already exist (a second `npm start`)', async () => {
    for (let i = 0; i < 2; i++) {
      const runner = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, schedules: false });
      runners.push(runner);
      expect((await runner.boss.getQueue('credit-expiry'))?.policy).toBe('singleton');
      await runner.stop();
    }
  });
});
