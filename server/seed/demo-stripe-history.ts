// The demo's ordinary Stripe history, played through the emulator: the catalog's prices exist in
// "Stripe" and are mapped in the catalog, and a handful of customers buy packs, subscribe, renew,
// fail a renewal and recover, get refunded from the Dashboard, dispute, and use what they bought
// (usage metadata becomes dispute evidence). What the database holds comes from the webhooks.
import type { Deps } from '../deps.ts';
import { exportCatalog } from '../modules/catalog/get-catalog.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { DemoStripe, SEED_ACTOR, type DemoPerson } from './demo-stripe-kit.ts';

/** Prices in euro cents; a catalog item without one here gets a price from its credits. */
const DEMO_PRICES: Record<string, number> = {
  starter: 1500,
  pro: 4900,
  growth: 14900,
  pack_1000: 900,
  pack_10000: 7900,
  pack_50000: 34900,
};

const stripeProductId = (key: string) => `prod_creditdesk_${key}`;
export const stripeLookupKey = (key: string) => `creditdesk_${key}`;

/**
 * Each paid plan (monthly) and each credit pack gets a product and a price in the emulator, and
 * the catalog maps exactly those prices: the default catalog's placeholder price ids do not exist
 * in this "Stripe account", and Checkout uses a plan's or pack's first mapped price.
 */
export async function seedStripeCatalog(kit: DemoStripe): Promise<void> {
  const catalog = await exportCatalog(kit.db);
  for (const plan of catalog.plans) {
    if (plan.default) continue;
    const price = await kit.price({
      productId: stripeProductId(plan.key),
      name: `${plan.name} plan`,
      lookupKey: stripeLookupKey(plan.key),
      amount: DEMO_PRICES[plan.key] ?? Math.max(100, Math.round(plan.monthlyCredits)),
      interval: 'month',
    });
    plan.stripePriceIds = [price.id];
  }
  for (const pack of catalog.creditPacks) {
    const price = await kit.price({
      productId: stripeProductId(pack.key),
      name: pack.name,
      lookupKey: stripeLookupKey(pack.key),
      amount: DEMO_PRICES[pack.key] ?? Math.max(100, Math.round(pack.credits * 0.8)),
    });
    pack.stripePriceIds = [price.id];
  }
  // Importing what is already there writes nothing (a second run adds no catalog version).
  await importCatalog(kit.db, catalog, SEED_ACTOR, {
    reason: 'Demo seed: map the prices of the Stripe emulator',
  });
}

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5';
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';

/** What the product reports with each use; the dispute evidence pack quotes it. */
export function usageMetadata(
  p: DemoPerson,
  feature: 'chat' | 'image_generation' | 'video_generation',
  n: number,
  device: { ip: string; ua?: string },
): Record<string, string> {
  const slug = p.externalId.replace(/^demo_/, '');
  const kinds = {
    chat: { model: 'gpt-4o-mini', operation: 'chat.completion', url: `https://ai-product.demo.example/c/${slug}-${n}` },
    image_generation: {
      model: 'flux-1-schnell',
      operation: 'image.generate',
      url: `https://cdn.ai-product.demo.example/${slug}/image-${n}.png`,
    },
    video_generation: {
      model: 'veo-lite',
      operation: 'video.generate',
      url: `https://cdn.ai-product.demo.example/${slug}/video-${n}.mp4`,
    },
  } as const;
  const k = kinds[feature];
  return {
    model: k.model,
    operation: k.operation,
    resultReference: k.url,
    clientIp: device.ip,
    userAgent: device.ua ?? BROWSER,
  };
}

const ADA: DemoPerson = {
  externalId: 'demo_ada',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  card: { brand: 'visa', last4: '4242' },
};
const GRACE: DemoPerson = {
  externalId: 'demo_grace',
  email: 'grace@example.com',
  name: 'Grace Hopper',
  card: { brand: 'mastercard', last4: '4444' },
};
const LINUS: DemoPerson = {
  externalId: 'demo_linus',
  email: 'linus@example.com',
  name: 'Linus T.',
  card: { brand: 'visa', last4: '1881' },
};
const MARGARET: DemoPerson = {
  externalId: 'demo_margaret',
  email: 'margaret@example.com',
  name: 'Margaret Hamilton',
  card: { brand: 'amex', last4: '8431' },
};
const KATHERINE: DemoPerson = {
  externalId: 'demo_katherine',
  email: 'katherine@example.com',
  name: 'Katherine Johnson',
  card: { brand: 'visa', last4: '1117' },
};
const MO: DemoPerson = { externalId: 'demo_mo', email: 'mo@example.com', name: 'Mo Newcomer' };

/** The ordinary customers, in the order they are played. */
export const DEMO_STRIPE_CUSTOMERS: ReadonlyArray<{ person: DemoPerson; story: string }> = [
  { person: ADA, story: 'Pro subscriber: a renewal paid, usage of every feature, one failed video reversed' },
  {
    person: GRACE,
    story: 'two 1,000-credit packs, the second refunded from the Stripe Dashboard; welcome credits expired',
  },
  { person: LINUS, story: 'Starter subscriber (renewed) whose 10,000-credit pack is frozen by an open dispute' },
  { person: MARGARET, story: 'Growth subscriber: a renewal failed (grace period), then the retry was paid' },
  { person: KATHERINE, story: '10,000-credit pack disputed as fraudulent; the dispute was won' },
  { person: MO, story: 'signed up, nothing bought yet' },
];

export async function seedStripeCustomers(kit: DemoStripe): Promise<void> {
  // Ada: Pro, renewed once; usage across every feature; a timed-out video given back. (The
  // emulator renews "now", so the ended period's credits are still valid until its own end.)
  await kit.customer(ADA);
  const adaPro = await kit.order(ADA, 'ada-pro', { plan: 'pro' });
  await kit.renew(adaPro.subscriptionId!, 2);
  const adaDesk = { ip: '198.51.100.7' };
  for (let i = 1; i <= 6; i++) await kit.use(ADA, `chat-${i}`, 'chat', usageMetadata(ADA, 'chat', i, adaDesk));
  for (let i = 1; i <= 3; i++) {
    await kit.use(ADA, `image-${i}`, 'image_generation', usageMetadata(ADA, 'image_generation', i, adaDesk));
  }
  await kit.use(ADA, 'video-1', 'video_generation', usageMetadata(ADA, 'video_generation', 1, adaDesk));
  await kit.use(ADA, 'video-2', 'video_generation', usageMetadata(ADA, 'video_generation', 2, adaDesk));
  await kit.reverse(ADA, 'video-2', 'Generation timed out');

  // Grace: welcome credits ran out unused; a pack used a little; a second pack refunded in full
  // from the Dashboard (the webhook claws its credits back).
  const grace = await kit.customer(GRACE);
  await kit.expiredWelcome(grace, 100);
  await kit.order(GRACE, 'grace-pack-1', { pack: 'pack_1000' });
  const gracePhone = { ip: '203.0.113.24', ua: PHONE };
  for (let i = 1; i <= 4; i++) await kit.use(GRACE, `chat-${i}`, 'chat', usageMetadata(GRACE, 'chat', i, gracePhone));
  const graceSecond = await kit.order(GRACE, 'grace-pack-2', { pack: 'pack_1000' });
  await kit.dashboardRefund(graceSecond.chargeId!, graceSecond.session.amount_total!, 'duplicate');

  // Linus: Starter (renewed once), then a big pack whose payment his bank disputes (open: the
  // pack is frozen).
  await kit.customer(LINUS);
  const starter = await kit.order(LINUS, 'linus-starter', { plan: 'starter' });
  await kit.renew(starter.subscriptionId!, 2);
  const linusPack = await kit.order(LINUS, 'linus-pack', { pack: 'pack_10000' });
  await kit.use(
    LINUS,
    'image-1',
    'image_generation',
    usageMetadata(LINUS, 'image_generation', 1, { ip: '192.0.2.61' }),
  );
  await kit.dispute(linusPack.chargeId!, 'product_not_received');

  // Margaret: Growth; the first renewal is declined (grace period), the retry is paid.
  await kit.customer(MARGARET);
  const growth = await kit.order(MARGARET, 'margaret-growth', { plan: 'growth' });
  const declined = await kit.renew(growth.subscriptionId!, 2, 'failed');
  await kit.recover(declined);
  const studio = { ip: '198.51.100.142' };
  for (let i = 1; i <= 2; i++) {
    await kit.use(MARGARET, `video-${i}`, 'video_generation', usageMetadata(MARGARET, 'video_generation', i, studio));
  }
  for (let i = 1; i <= 5; i++) {
    await kit.use(MARGARET, `image-${i}`, 'image_generation', usageMetadata(MARGARET, 'image_generation', i, studio));
  }

  // Katherine: a big pack, used, then disputed as fraudulent; the evidence (usage) wins it.
  await kit.customer(KATHERINE);
  const kPack = await kit.order(KATHERINE, 'katherine-pack', { pack: 'pack_10000' });
  const kDesk = { ip: '203.0.113.77' };
  for (let i = 1; i <= 8; i++) {
    await kit.use(KATHERINE, `chat-${i}`, 'chat', usageMetadata(KATHERINE, 'chat', i, kDesk), 25);
  }
  await kit.dispute(kPack.chargeId!, 'fraudulent', 'won');

  // Mo: the product registered him; nothing bought yet.
  await kit.customer(MO);
}

export async function withDemoStripe(
  deps: Deps,
  run: (kit: DemoStripe) => Promise<void>,
): Promise<void | { skipped: string }> {
  const kit = await DemoStripe.connect(deps);
  if (!(kit instanceof DemoStripe)) return kit;
  await run(kit);
}
