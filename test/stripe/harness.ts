// A Creditdesk app with a test catalog and a webhook secret, plus helpers to deliver signed events
// into it exactly as Stripe would (raw JSON body, Stripe-Signature header).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { ChangeFeed } from '../../server/db/change-feed.ts';
import type { Db } from '../../server/db/client.ts';
import type { StripeConnection } from '../../server/deps.ts';
import type { HandlerMap } from '../../server/modules/stripe-events/event-handler.ts';
import { createTestDeps, type TestContext } from '../deps.ts';
import { signedHeader } from './builders.ts';

export const WEBHOOK_SECRET = 'whsec_test_current_secret';
export const OLD_WEBHOOK_SECRET = 'whsec_test_previous_secret';

export const PRICES = {
  pro: 'price_test_plan_pro',
  max: 'price_test_plan_max',
  starter: 'price_test_pack_starter',
  big: 'price_test_pack_big',
} as const;

export const CATALOG = {
  plans: { free: { credits: 10 }, pro: { credits: 1000, rollover: false }, max: { credits: 5000, rollover: true } },
  packs: { starter: { credits: 500, expiresAfterDays: null }, big: { credits: 2000, expiresAfterDays: 365 } },
  gracePeriodDays: 3,
} as const;

export async function seedTestCatalog(prisma: Db): Promise<void> {
  await prisma.plan.createMany({
    data: [
      { key: 'free', name: 'Free', isDefault: true, monthlyCredits: 10, entitlements: { chat: true }, position: 0 },
      { key: 'pro', name: 'Pro', monthlyCredits: 1000, entitlements: { chat: true, image: true }, position: 1 },
      {
        key: 'max',
        name: 'Max',
        monthlyCredits: 5000,
        rollover: true,
        entitlements: { chat: true, image: true, video: true },
        position: 2,
      },
    ],
  });
  await prisma.creditPack.createMany({
    data: [
      { key: 'starter', name: 'Starter pack', credits: 500, position: 0 },
      { key: 'big', name: 'Big pack', credits: 2000, expiresAfterDays: 365, position: 1 },
    ],
  });
  await prisma.catalogPrice.createMany({
    data: [
      { stripePriceId: PRICES.pro, planKey: 'pro' },
      { stripePriceId: PRICES.max, planKey: 'max' },
      { stripePriceId: PRICES.starter, packKey: 'starter' },
      { stripePriceId: PRICES.big, packKey: 'big' },
    ],
  });
  await prisma.catalogRules.upsert({
    where: { id: 1 },
    create: { gracePeriodDays: 3 },
    update: { gracePeriodDays: 3 },
  });
}

export interface WebhookHarness {
  t: TestContext;
  app: FastifyInstance;
  prisma: Db;
  deliver(event: object, options?: DeliverOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface DeliverOptions {
  secret?: string;
  timestamp?: number;
  body?: string;
  header?: string | null;
  contentType?: string;
}

export async function createWebhookHarness(
  options: {
    handlers?: HandlerMap;
    stripe?: StripeConnection | null;
    env?: Record<string, string>;
    /** Run with a live change feed, as a server does: the pipeline keeps the catalog in memory. */
    changeFeed?: boolean;
    /** On the embedded database (PGlite, one session) whatever TEST_DATABASE_URL says. */
    embedded?: boolean;
  } = {},
): Promise<WebhookHarness> {
  const t = await createTestDeps({
    env: { STRIPE_WEBHOOK_SECRET: `${WEBHOOK_SECRET},${OLD_WEBHOOK_SECRET}`, ...options.env },
    stripe: options.stripe ?? null,
    embedded: options.embedded ?? false,
  });
  const feed = options.changeFeed ? new ChangeFeed(t.db.url) : null;
  // Without notifications (the embedded database) the feed stays off and the catalog is read.
  if (feed && (await feed.start())) t.deps.changeFeed = feed;
  await seedTestCatalog(t.deps.prisma);
  const app = await buildApp(t.deps, {
    logger: false,
    ...(options.handlers ? { stripeHandlers: options.handlers } : {}),
  });
  return {
    t,
    app,
    prisma: t.deps.prisma,
    deliver(event, opts = {}) {
      const payload = JSON.stringify(event);
      const header =
        opts.header === undefined ? signedHeader(payload, opts.secret ?? WEBHOOK_SECRET, opts.timestamp) : opts.header;
      return app.inject({
        method: 'POST',
        url: '/api/stripe/webhook',
        headers: {
          'content-type': opts.contentType ?? 'application/json; charset=utf-8',
          ...(header !== null ? { 'stripe-signature': header } : {}),
        },
        payload: opts.body ?? payload,
      });
    },
    async close() {
      await app.close();
      await feed?.stop();
      await t.db.drop();
    },
  };
}
