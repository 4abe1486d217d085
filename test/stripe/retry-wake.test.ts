// Issue 13: a webhook that leaves Stripe work for the background job wakes that job at once.
// The real pg-boss runner runs with no cron at all (schedules: false) and nobody sends the job by
// hand: only the wake can apply the event. A dispute on a subscription charge whose
// invoice_payment.paid never arrived needs Stripe (charge -> payment intent -> invoice payments);
// it must be applied within seconds of its delivery, with the ledger and the model as expected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobRunner, type JobRunner } from '../../server/jobs/runner.ts';
import { stripeEventRetryJob } from '../../server/jobs/stripe-event-retry.ts';
import { until } from '../until.ts';
import {
  createReplayHarness,
  dispute,
  expectModel,
  newStory,
  subscribe,
  takeNewEvents,
  unsettledEvents,
  type ReplayHarness,
} from './replay.ts';

let h: ReplayHarness;
let runner: JobRunner;
beforeAll(async () => {
  h = await createReplayHarness();
  // The production worker's polling interval (2 s); no schedules, so no cron run can help.
  runner = await startJobRunner({
    deps: h.t.deps,
    databaseUrl: h.t.db.url,
    jobs: [stripeEventRetryJob],
    schedules: false,
  });
  h.t.deps.jobs = runner; // as server/index.ts does
});
afterAll(async () => {
  await runner?.stop();
  await h?.close();
});

describe('the stripe-event-retry job is woken by the webhook', () => {
  it('an event needing Stripe is applied within seconds, without a cron run or a manual send', async () => {
    const ctx = newStory(h, 'wake');
    const sub = await subscribe(ctx, 'pro');
    await dispute(ctx, sub.latest, 'open');
    // Without invoice_payment.paid the dispute's charge can only be matched through Stripe.
    const events = (await takeNewEvents(h)).filter((e) => e.type !== 'invoice_payment.paid');
    const disputed = events.find((e) => e.type === 'charge.dispute.created');
    expect(disputed).toBeDefined();
    const answers = new Map<string, { status: string | null }>();
    for (const e of events) {
      const res = await h.deliver(e);
      expect(res.statusCode).toBe(200);
      answers.set(e.id, res.json());
    }
    const delivered = Date.now();
    // The webhook answered without Stripe: the dispute was left to the background job.
    expect(answers.get(disputed!.id)?.status).toBe('deferred');

    await until(async () => (await unsettledEvents(h, events)).length === 0, 10_000);
    expect(Date.now() - delivered).toBeLessThan(10_000);
    await expectModel(h, ctx.model, events);
  });
});
