// Whole Stripe streams, recorded on the emulator and replayed shuffled, duplicated and concurrent
// (test/stripe/replay.ts), against a model of the ledger, plan, refunds, disputes and payments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buyPack,
  cancelAtPeriodEnd,
  createReplayHarness,
  dashboardRefund,
  dispute,
  expectModel,
  newStory,
  renew,
  replay,
  settle,
  subscribe,
  takeNewEvents,
  type ReplayHarness,
  type StoryContext,
} from './replay.ts';

const SEED = Number(process.env.REPLAY_SEED ?? 20261205);

let h: ReplayHarness;
beforeAll(async () => {
  h = await createReplayHarness();
});
afterAll(async () => {
  await h?.close();
});

type Story = (ctx: StoryContext) => Promise<unknown>;

const STORIES: Record<string, Story> = {
  'pack by card': (ctx) => buyPack(ctx, 'starter'),
  'Checkout subscription signup': (ctx) => subscribe(ctx, 'pro'),
  'renewal paid': async (ctx) => renew(ctx, await subscribe(ctx, 'pro'), 'paid'),
  'renewal failed then paid': async (ctx) => renew(ctx, await subscribe(ctx, 'pro'), 'failed_then_paid'),
  'renewal never paid': async (ctx) => renew(ctx, await subscribe(ctx, 'pro'), 'never_paid'),
  'dashboard refund of a pack, in full': async (ctx) => {
    const p = await buyPack(ctx, 'starter');
    await dashboardRefund(ctx, p, p.amount, p.credits);
  },
  'dashboard refund of a pack, half': async (ctx) => {
    const p = await buyPack(ctx, 'big');
    await dashboardRefund(ctx, p, 1450, 1000);
  },
  'dashboard refund of a subscription invoice': async (ctx) => {
    const sub = await subscribe(ctx, 'pro');
    await dashboardRefund(ctx, sub.latest, sub.latest.amount, sub.latest.credits);
  },
  'dispute won on a pack': async (ctx) => dispute(ctx, await buyPack(ctx, 'starter'), 'won'),
  'dispute lost on a pack': async (ctx) => dispute(ctx, await buyPack(ctx, 'big'), 'lost'),
  'dispute open on a pack': async (ctx) => dispute(ctx, await buyPack(ctx, 'starter'), 'open'),
  'dispute won on a subscription charge': async (ctx) => dispute(ctx, (await subscribe(ctx, 'pro')).latest, 'won'),
  'dispute lost on a subscription charge': async (ctx) => {
    const sub = await subscribe(ctx, 'pro');
    await renew(ctx, sub, 'paid');
    await dispute(ctx, sub.latest, 'lost');
  },
  'dispute open on a subscription charge': async (ctx) => dispute(ctx, (await subscribe(ctx, 'max')).latest, 'open'),
  'cancel at period end': async (ctx) => cancelAtPeriodEnd(ctx, await subscribe(ctx, 'pro')),
};

describe(`Stripe streams replayed shuffled, duplicated, concurrent (seed ${SEED})`, () => {
  let n = 0;
  for (const [name, story] of Object.entries(STORIES)) {
    const seed = SEED + n++;
    it(name, async () => {
      const ctx = newStory(h, name.replace(/\W+/g, '_'));
      await story(ctx);
      const events = await takeNewEvents(h);
      const report = await replay(h, events, { seed });
      expect(report.statuses.every((s) => s === 200)).toBe(true);
      expect(report.deliveries).toBeGreaterThan(events.length);
      await settle(h);
      await expectModel(h, ctx.model, events);
    });
  }
});
