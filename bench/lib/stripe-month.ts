// A month of a subscription + credit-pack business as Stripe would deliver it, for the webhook mix
// of bench/http.ts. Each story (a pack bought; a pack bought then partly refunded; a pack bought,
// warned about and lost in a dispute; a subscription renewed; one whose renewal fails and
// recovers; one cancelled) is played once on the Stripe emulator, which builds every object in
// Stripe's full shape and delivers the events it would send, in its order, to a local receiver.
// The recorded story is then copied for many customers by renaming every Stripe object id in it
// (and the product's user id), so the handlers do real work on distinct objects. Prices and
// products keep their ids: the bench maps them in the catalog.
import Stripe from 'stripe';
import { API_VERSION } from '../../emulator/config.ts';
import { startReceiver, startTestEmulator } from '../../emulator/testing.ts';

export const PACK = { key: 'pack_1000', credits: 1000, amount: 1000 };
export const PLAN = { key: 'pro', credits: 5000, amount: 4900 };

export interface StoryTemplate {
  name: string;
  /** How many customers live this story in the month. */
  copies: number;
  /** The user id token written into the story (replaced per copy). */
  user: string;
  /** Event payloads in delivery order, as JSON text. */
  events: string[];
  /** Stripe ids to rename per copy (every object's id except prices and products). */
  ids: string[];
}

export interface MonthEvent {
  story: string;
  step: number;
  copy: number;
  id: string;
  type: string;
  payload: string;
}

export interface RecordedMonth {
  stories: StoryTemplate[];
  prices: { pack: string; plan: string };
}

type Story = {
  name: string;
  copies: number;
  play: (ctx: PlayContext, user: string) => Promise<void>;
};
interface PlayContext {
  stripe: Stripe;
  driver: Awaited<ReturnType<typeof startTestEmulator>>['driver'];
  prices: { pack: string; plan: string };
}

async function checkout(ctx: PlayContext, user: string, kind: 'pack' | 'plan') {
  const customer = await ctx.stripe.customers.create({ email: `${user}@example.com`, metadata: { user_id: user } });
  const item = kind === 'pack' ? PACK : PLAN;
  // The metadata createCheckoutSession (server/modules/billing) writes.
  const metadata = { user_id: user, kind, key: item.key, credits: String(item.credits) };
  const session = await ctx.stripe.checkout.sessions.create({
    mode: kind === 'pack' ? 'payment' : 'subscription',
    customer: customer.id,
    client_reference_id: user,
    line_items: [{ price: kind === 'pack' ? ctx.prices.pack : ctx.prices.plan, quantity: 1 }],
    success_url: 'https://app.example/ok',
    cancel_url: 'https://app.example/no',
    metadata,
    ...(kind === 'pack' ? { payment_intent_data: { metadata } } : { subscription_data: { metadata } }),
  });
  const paid = await ctx.driver.payCheckoutSession(session.id, 'card_success');
  if (paid.error) throw new Error(`emulator refused the payment: ${JSON.stringify(paid.error)}`);
  return paid;
}

/** The month: copies per story (scaled by the caller); each wave needs a few times the clients. */
const STORIES: Story[] = [
  { name: 'pack', copies: 600, play: (ctx, u) => checkout(ctx, u, 'pack').then(() => undefined) },
  {
    name: 'pack, refunded in part',
    copies: 64,
    play: async (ctx, u) => {
      const paid = await checkout(ctx, u, 'pack');
      await ctx.driver.refundFromDashboard(paid.charge!.id, 300);
    },
  },
  {
    name: 'pack, fraud warning, dispute lost',
    copies: 64,
    play: async (ctx, u) => {
      const paid = await checkout(ctx, u, 'pack');
      await ctx.driver.createEarlyFraudWarning(paid.charge!.id);
      const dispute = await ctx.driver.openDispute(paid.charge!.id, 'fraudulent');
      await ctx.driver.closeDispute(dispute.id, 'lost');
    },
  },
  {
    name: 'subscription, renewed',
    copies: 200,
    play: async (ctx, u) => {
      const paid = await checkout(ctx, u, 'plan');
      await ctx.driver.advanceSubscription(paid.subscription!.id, { outcome: 'paid' });
    },
  },
  {
    name: 'subscription, renewal fails then recovers',
    copies: 64,
    play: async (ctx, u) => {
      const paid = await checkout(ctx, u, 'plan');
      const failed = await ctx.driver.advanceSubscription(paid.subscription!.id, { outcome: 'failed' });
      await ctx.driver.retryInvoice(failed.invoice!.id, 'paid');
    },
  },
  {
    name: 'subscription, cancelled',
    copies: 64,
    play: async (ctx, u) => {
      const paid = await checkout(ctx, u, 'plan');
      await ctx.driver.cancelSubscription(paid.subscription!.id);
    },
  },
];

/** Plays every story once on a fresh emulator and returns what it delivered. */
export async function recordMonth(scale = 1): Promise<RecordedMonth> {
  const emu = await startTestEmulator();
  const receiver = await startReceiver();
  try {
    await emu.stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['*'],
      api_version: API_VERSION,
    } as Stripe.WebhookEndpointCreateParams);
    const product = await emu.stripe.products.create({ name: 'bench' });
    const pack = await emu.stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: PACK.amount });
    const plan = await emu.stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: PLAN.amount,
      recurring: { interval: 'month' },
    });
    const ctx: PlayContext = { stripe: emu.stripe, driver: emu.driver, prices: { pack: pack.id, plan: plan.id } };
    await emu.driver.waitForIdle({ timeoutMs: 15_000 });
    receiver.reset();
    const stories: StoryTemplate[] = [];
    for (const [i, story] of STORIES.entries()) {
      const user = `benchstory${i}user`;
      await story.play(ctx, user);
      await emu.driver.waitForIdle({ timeoutMs: 15_000 });
      const events = receiver.received.map((r) => r.body);
      receiver.reset();
      stories.push({
        name: story.name,
        copies: Math.max(1, Math.round(story.copies * scale)),
        user,
        events,
        ids: objectIds(events),
      });
    }
    return { stories, prices: ctx.prices };
  } finally {
    await receiver.close();
    await emu.stop();
  }
}

const KEEP = new Set(['price', 'product', 'plan']);

/** Every Stripe object id in the events (nested objects too), except the catalog's. */
function objectIds(events: string[]): string[] {
  const ids = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.id === 'string' && /^[a-z]+_/.test(o.id) && !KEEP.has(String(o.object))) ids.add(o.id);
    for (const x of Object.values(o)) walk(x);
  };
  for (const e of events) walk(JSON.parse(e));
  return [...ids];
}

/** One customer's copy of a story: ids and the user id renamed. */
export function copyStory(story: StoryTemplate, copy: number, tag: string): MonthEvent[] {
  const names = [...story.ids, story.user].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(
    `(${names.map((n) => n.replace(/[^A-Za-z0-9_]/g, '\\$&')).join('|')})(?![A-Za-z0-9])`,
    'g',
  );
  const suffix = `${tag}x${copy}`;
  return story.events.map((text, step) => {
    const payload = text.replace(pattern, (id) => (id === story.user ? `${story.user}${suffix}` : `${id}${suffix}`));
    const { id, type } = JSON.parse(payload) as { id: string; type: string };
    return { story: story.name, step, copy, id, type, payload };
  });
}

/** The external ids of the customers a month needs (the product registered them beforehand). */
export function monthUsers(month: RecordedMonth, tag: string): string[] {
  return month.stories.flatMap((s) => Array.from({ length: s.copies }, (_, c) => `${s.user}${tag}x${c}`));
}
