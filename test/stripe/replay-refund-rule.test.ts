// The refund rule (issue 13.2) on replayed Stripe streams (test/stripe/replay.ts): partial refunds
// made in Stripe's dashboard, in both orders, replayed shuffled, duplicated and concurrent; each
// takes back the credits it pays for, ceil(refund x granted / paid), whatever order the events arrive in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buyPack,
  createReplayHarness,
  dashboardRefund,
  expectModel,
  newStory,
  replay,
  settle,
  takeNewEvents,
  type ReplayHarness,
  type StoryContext,
} from './replay.ts';

const SEED = Number(process.env.REPLAY_SEED ?? 20261313);

let h: ReplayHarness;
beforeAll(async () => {
  h = await createReplayHarness();
});
afterAll(async () => {
  await h?.close();
});

// Starter: 500 credits for EUR 9.00. EUR 3.00 pays for 166.7 -> 167 credits; EUR 4.50 for 250.
const STORIES: Record<string, (ctx: StoryContext) => Promise<unknown>> = {
  'two dashboard refunds of a pack, EUR 3.00 then EUR 4.50': async (ctx) => {
    const p = await buyPack(ctx, 'starter');
    await dashboardRefund(ctx, p, 300, 167);
    await dashboardRefund(ctx, p, 450, 250);
  },
  'two dashboard refunds of a pack, EUR 4.50 then EUR 3.00': async (ctx) => {
    const p = await buyPack(ctx, 'starter');
    await dashboardRefund(ctx, p, 450, 250);
    await dashboardRefund(ctx, p, 300, 167);
  },
};

describe(`dashboard refunds replayed shuffled, duplicated, concurrent (seed ${SEED})`, () => {
  let n = 0;
  for (const [name, story] of Object.entries(STORIES)) {
    const seed = SEED + n++;
    it(name, async () => {
      const ctx = newStory(h, name.replace(/\W+/g, '_'));
      await story(ctx);
      const events = await takeNewEvents(h);
      const report = await replay(h, events, { seed });
      expect(report.statuses.every((s) => s === 200)).toBe(true);
      await settle(h);
      await expectModel(h, ctx.model, events);
    });
  }
});
