// The Stripe jobs through the real pg-boss runner: a due deferred event is applied by
// stripe-event-retry, an expired grace period downgrades through grace-expiry, and
// stripe-reconciliation skips cleanly without a Stripe connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, invoice, subscription, uid, unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';
import { graceExpiryJob } from './grace-expiry.ts';
import { startJobRunner, type JobRunner } from './runner.ts';
import { stripeEventRetryJob } from './stripe-event-retry.ts';
import { stripeReconciliationJob } from './stripe-reconciliation.ts';
import { until } from '../../test/until.ts';

let h: WebhookHarness;
let runner: JobRunner;

beforeAll(async () => {
  h = await createWebhookHarness();
  runner = await startJobRunner({
    deps: h.t.deps,
    databaseUrl: h.t.db.url,
    jobs: [
      { ...stripeEventRetryJob, pollingIntervalSeconds: 0.5 },
      { ...graceExpiryJob, pollingIntervalSeconds: 0.5 },
      { ...stripeReconciliationJob, pollingIntervalSeconds: 0.5 },
    ],
    schedules: false,
  });
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

const DAY = 86_400;

describe('Stripe jobs on pg-boss', () => {
  it('stripe-event-retry applies a deferred event once it is due', async () => {
    const cus = uid('cus');
    const sub = uid('sub');
    const t = unix(Date.now()) - 600;
    await h.prisma.customer.create({ data: { externalId: 'job_retry', email: 'job@example.com' } });
    const inv = invoice({
      customer: cus,
      subscription: sub,
      userId: 'job_retry',
      priceId: PRICES.pro,
      billingReason: 'subscription_create',
      periodStart: t,
      periodEnd: t + 30 * DAY,
    });
    const stored = (await h.deliver(event('invoice.paid', inv, { created: t + 1 }))).json();
    expect(stored.status).toBe('deferred');
    await h.deliver(
      event(
        'customer.subscription.created',
        subscription({
          id: sub,
          customer: cus,
          userId: 'job_retry',
          priceId: PRICES.pro,
          periodStart: t,
          periodEnd: t + 30 * DAY,
        }),
        { created: t },
      ),
    );
    // Make the retry due now instead of waiting for the backoff.
    await h.prisma.stripeEvent.update({
      where: { id: stored.eventId },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    await runner.send('stripe-event-retry');
    await until(
      async () =>
        (await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: stored.eventId } })).status === 'processed',
    );
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'job_retry' } })).balance).toBe(1000);
  });

  it('grace-expiry downgrades a subscription whose grace period ended unpaid', async () => {
    const cus = uid('cus');
    const sub = uid('sub');
    const t = unix(Date.now()) - DAY;
    await h.deliver(
      event(
        'checkout.session.completed',
        checkoutSession({
          userId: 'job_grace',
          mode: 'subscription',
          kind: 'plan',
          key: 'pro',
          customer: cus,
          subscription: sub,
        }),
        { created: t },
      ),
    );
    await h.deliver(
      event(
        'customer.subscription.created',
        subscription({
          id: sub,
          customer: cus,
          userId: 'job_grace',
          priceId: PRICES.pro,
          periodStart: t,
          periodEnd: t + 30 * DAY,
        }),
        { created: t + 1 },
      ),
    );
    const failed = invoice({
      customer: cus,
      subscription: sub,
      userId: 'job_grace',
      priceId: PRICES.pro,
      status: 'open',
      periodStart: t,
      periodEnd: t + 30 * DAY,
    });
    await h.deliver(event('invoice.payment_failed', failed, { created: t + 2 }));
    // In grace: the plan is kept.
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'job_grace' } })).planKey).toBe('pro');
    // Three days pass without payment.
    await h.prisma.subscription.update({ where: { id: sub }, data: { graceUntil: new Date(Date.now() - 1000) } });
    await runner.send('grace-expiry');
    await until(
      async () => (await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'job_grace' } })).planKey === null,
    );
    const audit = await until(() =>
      h.prisma.auditLog.findFirst({ where: { action: 'subscription.grace_expired', targetId: sub } }),
    );
    expect(audit.actorId).toBe('system:system');
  });

  it('stripe-reconciliation skips without a Stripe connection', async () => {
    const id = await runner.send('stripe-reconciliation');
    expect(id).toBeTruthy();
    await until(async () => {
      const j = await runner.boss.getJobById('stripe-reconciliation', id as string);
      return j?.state === 'completed' ? j : null;
    });
    expect(await h.prisma.reconciliationRun.count()).toBe(0);
  });
});
