// Whole Stripe streams, recorded on the emulator and replayed shuffled, duplicated and concurrent
// (test/stripe/replay.ts), against a model of the ledger, plan, refunds, disputes and payments.
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  buyPack,
  cancelAtPeriodEnd,
  changePlan,
  createReplayHarness,
  dashboardRefund,
  dispute,
  playStory,
  renew,
  subscribe,
  type ReplayHarness,
  type Story,
} from './replay.ts';

const SEED = Number(process.env.REPLAY_SEED ?? 20261205);

let h: ReplayHarness;
beforeAll(async () => {
  h = await createReplayHarness();
});
afterAll(async () => {
  await h?.close();
});

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
  'upgrade pro -> max mid-period (prorated credits, once)': async (ctx) =>
    changePlan(ctx, await subscribe(ctx, 'pro'), 'max'),
  'downgrade max -> pro mid-period (nothing granted, nothing taken)': async (ctx) =>
    changePlan(ctx, await subscribe(ctx, 'max'), 'pro'),
  'upgrade, then a dashboard refund of the upgrade invoice': async (ctx) => {
    const sub = await subscribe(ctx, 'pro');
    const { purchase } = await changePlan(ctx, sub, 'max');
    if (!purchase) throw new Error('an upgrade is charged');
    await dashboardRefund(ctx, purchase, purchase.amount, purchase.credits);
  },
};

describe(`Stripe streams replayed shuffled, duplicated, concurrent (seed ${SEED})`, () => {
  let n = 0;
  for (const [name, story] of Object.entries(STORIES)) {
    const seed = SEED + n++;
    it(name, () => playStory(h, name, story, { seed }));
  }
});
