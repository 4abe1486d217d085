// The refund rule (issue 13.2) on replayed Stripe streams (test/stripe/replay.ts): dashboard
// refunds of a pack and of a subscription invoice, each takes back the credits it pays for,
// ceil(refund x granted / paid), whatever order the events arrive in: shuffled, duplicated and
// concurrent, and forced in both orders (every refund.* / charge.refund.* event before
// charge.refunded, and after it).
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  buyPack,
  createReplayHarness,
  dashboardRefund,
  forceRefundOrder,
  playStory,
  subscribe,
  type ReplayHarness,
  type Story,
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
// Pro: 1,000 credits for EUR 19.00. EUR 9.50 pays for 500.
const SHUFFLED: Record<string, Story> = {
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

const ONE_REFUND: Record<string, Story> = {
  'a pack, EUR 3.00 of EUR 9.00': async (ctx) => dashboardRefund(ctx, await buyPack(ctx, 'starter'), 300, 167),
  'a subscription invoice, EUR 9.50 of EUR 19.00': async (ctx) =>
    dashboardRefund(ctx, (await subscribe(ctx, 'pro')).latest, 950, 500),
  'a subscription invoice, in full': async (ctx) => {
    const { latest } = await subscribe(ctx, 'pro');
    await dashboardRefund(ctx, latest, latest.amount, latest.credits);
  },
};

describe(`dashboard refunds replayed shuffled, duplicated, concurrent (seed ${SEED})`, () => {
  let n = 0;
  for (const [name, story] of Object.entries({ ...SHUFFLED, ...ONE_REFUND })) {
    const seed = SEED + n++;
    it(name, () => playStory(h, name, story, { seed }));
  }
});

describe('dashboard refunds with the refund events forced in each order around charge.refunded', () => {
  let n = 100;
  for (const [name, story] of Object.entries(ONE_REFUND)) {
    for (const order of ['refund_first', 'charge_first'] as const) {
      const seed = SEED + n++;
      it(`${name}, ${order === 'refund_first' ? 'refund.* before' : 'refund.* after'} charge.refunded`, () =>
        playStory(h, `${name} ${order}`, story, {
          seed,
          shuffle: false,
          reorder: (events) => forceRefundOrder(events, order),
        }));
    }
  }
});
