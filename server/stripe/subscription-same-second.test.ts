// Same-second subscription events (issue 13.3), on real PostgreSQL through the signed webhook
// route: for every transition Stripe can make between two states within one second, the two events
// are delivered in both orders, with the same `created`, and the subscription must end in the later
// state. A cycle within one second (active -> past_due -> active), which the two snapshots alone
// cannot order, is re-read from Stripe by the background job (the emulator stands in for Stripe).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rereadSubscriptions } from '../modules/billing/reread-subscriptions.ts';
import { event, subscription, uid, unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, PRICES, type WebhookHarness } from '../../test/stripe/harness.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400;
const INITIAL = new Set(['incomplete', 'trialing']);
/** A state each non-initial state is reached from, for the first event's previous_attributes. */
const REACHED_FROM: Record<string, string> = {
  active: 'incomplete',
  past_due: 'trialing',
  unpaid: 'past_due',
  paused: 'trialing',
  incomplete_expired: 'incomplete',
  canceled: 'active',
};
/** Every move Stripe makes between the eight states a subscription can be in. */
const TRANSITIONS: Array<[string, string]> = [
  ['incomplete', 'active'],
  ['incomplete', 'trialing'],
  ['incomplete', 'incomplete_expired'],
  ['trialing', 'active'],
  ['trialing', 'past_due'],
  ['trialing', 'paused'],
  ['trialing', 'canceled'],
  ['paused', 'active'],
  ['paused', 'canceled'],
  ['active', 'past_due'],
  ['active', 'unpaid'],
  ['active', 'canceled'],
  ['past_due', 'active'],
  ['past_due', 'unpaid'],
  ['past_due', 'canceled'],
  ['unpaid', 'active'],
  ['unpaid', 'canceled'],
];
const ACTIVE_PLAN = new Set(['trialing', 'active', 'past_due']);

async function customerWithSubscription(tag: string) {
  const user = uid(`same_second_${tag}`);
  await h.prisma.customer.create({ data: { externalId: user, email: `${user}@example.com` } });
  return { user, sub: uid('sub'), cus: uid('cus') };
}

function stateEvent(
  ids: { user: string; sub: string; cus: string },
  status: string,
  from: string | null,
  created: number,
  type?: string,
  priceId: string = PRICES.pro,
) {
  const object = subscription({
    id: ids.sub,
    customer: ids.cus,
    userId: ids.user,
    priceId,
    status,
    periodStart: created,
    periodEnd: created + 30 * DAY,
  });
  const eventType =
    type ??
    (status === 'canceled'
      ? 'customer.subscription.deleted'
      : from
        ? 'customer.subscription.updated'
        : 'customer.subscription.created');
  return event(eventType, object, {
    created,
    ...(from && eventType === 'customer.subscription.updated' ? { previousAttributes: { status: from } } : {}),
  });
}

async function deliverAll(events: object[]) {
  for (const e of events) expect((await h.deliver(e)).statusCode).toBe(200);
}

describe('two subscription events in the same second, either order', () => {
  for (const [from, to] of TRANSITIONS) {
    for (const order of ['in order', 'reversed'] as const) {
      it(`${from} -> ${to}, ${order}: ends ${to}`, async () => {
        const ids = await customerWithSubscription(`${from}_${to}`);
        const second = unix(Date.now());
        const first = stateEvent(ids, from, INITIAL.has(from) ? null : REACHED_FROM[from]!, second);
        const then = stateEvent(ids, to, from, second);
        await deliverAll(order === 'in order' ? [first, then] : [then, first]);
        const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } });
        expect(row.status).toBe(to);
        expect(row.rereadRequestedAt).toBeNull();
        const customer = await h.prisma.customer.findUniqueOrThrow({ where: { externalId: ids.user } });
        expect(customer.planKey === 'pro').toBe(ACTIVE_PLAN.has(to));
      });
    }
  }

  it('Checkout signup (created incomplete, updated active, same second) never leaves the customer on free', async () => {
    for (const order of [0, 1]) {
      const ids = await customerWithSubscription(`signup_${order}`);
      const second = unix(Date.now());
      const created = stateEvent(ids, 'incomplete', null, second);
      const updated = stateEvent(ids, 'active', 'incomplete', second);
      // Duplicated deliveries too: a late copy of `created` changes nothing.
      await deliverAll(order ? [updated, created, created] : [created, updated, created]);
      expect((await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } })).status).toBe('active');
      expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: ids.user } })).planKey).toBe('pro');
    }
  });
});

describe('a cycle within one second', () => {
  it('active -> past_due -> active cannot be ordered from the snapshots: Stripe is re-read in the background', async () => {
    const ids = await customerWithSubscription('cycle');
    const second = unix(Date.now());
    const failed = stateEvent(ids, 'past_due', 'active', second);
    const recovered = stateEvent(ids, 'active', 'past_due', second);
    await deliverAll([recovered, failed]);
    const flagged = await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } });
    expect(flagged.rereadRequestedAt).not.toBeNull();

    // The job asks Stripe (here a stand-in answering like subscriptions.retrieve) and applies its state.
    const current = stateEvent(ids, 'active', null, second).data as { object: unknown };
    const stripe = { subscriptions: { retrieve: async () => current.object } };
    const results = await rereadSubscriptions({
      prisma: h.prisma,
      stripe: stripe as never,
      now: () => new Date((second + 5) * 1000),
    });
    expect(results.map((r) => r.subscriptionId)).toContain(ids.sub);
    const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } });
    expect(row).toMatchObject({ status: 'active', rereadRequestedAt: null });
  });
});

describe('a plan change in the same second as another update', () => {
  it('two active states billing different prices cannot be ordered: Stripe is re-read, either order', async () => {
    for (const order of [0, 1]) {
      const ids = await customerWithSubscription(`plan_change_${order}`);
      const second = unix(Date.now());
      const signedUp = stateEvent(ids, 'active', 'incomplete', second);
      const upgraded = stateEvent(ids, 'active', null, second, 'customer.subscription.updated', PRICES.max);
      await deliverAll(order ? [upgraded, signedUp] : [signedUp, upgraded]);
      const flagged = await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } });
      expect(flagged.rereadRequestedAt).not.toBeNull();

      const current = upgraded.data as { object: unknown };
      const stripe = { subscriptions: { retrieve: async () => current.object } };
      await rereadSubscriptions({
        prisma: h.prisma,
        stripe: stripe as never,
        now: () => new Date((second + 5) * 1000),
      });
      const row = await h.prisma.subscription.findUniqueOrThrow({ where: { id: ids.sub } });
      expect(row).toMatchObject({ status: 'active', planKey: 'max', rereadRequestedAt: null });
      expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: ids.user } })).planKey).toBe('max');
    }
  });
});
