// The auto-block rule, driven by signed charge.dispute.* webhooks through the real pipeline: 3
// disputes in the window leave the customer alone, a 4th blocks them ("4 disputes since ..."),
// 4 spread over more than the window do not, inquiries do not count, and a staff unblock after
// the latest dispute holds until another dispute arrives. A blocked customer is refused access,
// usage and checkout; the block shows in the timeline.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charge, checkoutSession, dispute, event, uid, unix } from '../../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../../test/stripe/harness.ts';
import type { Actor } from '../../lib/actor.ts';
import { createCheckoutSession } from '../billing/create-checkout-session.ts';
import { checkAccess } from '../entitlements/check-access.ts';
import { recordUsage } from '../ledger/record-usage.ts';
import { getTimeline } from '../support/get-timeline.ts';
import { unblockCustomer } from './unblock-customer.ts';

const DAY = 86_400;
let h: WebhookHarness;

beforeAll(async () => {
  h = await createWebhookHarness();
  await h.prisma.feature.create({ data: { key: 'chat', name: 'Chat', creditCost: 1 } });
});
afterAll(() => h?.close());

const now = () => unix(Date.now());
const customer = (externalId: string) => h.prisma.customer.findUniqueOrThrow({ where: { externalId } });

async function buy(user: string) {
  const pi = uid('pi');
  const ch = uid('ch');
  await h.deliver(
    event(
      'checkout.session.completed',
      checkoutSession({ userId: user, kind: 'pack', key: 'starter', amount: 1000, paymentIntent: pi }),
    ),
  );
  await h.deliver(event('charge.succeeded', charge({ id: ch, paymentIntent: pi, amount: 1000 })));
  return { pi, ch };
}

/** Buys and disputes `daysAgo.length` purchases, one dispute opened at each age (days). */
async function disputes(user: string, daysAgo: number[], opts: { status?: string } = {}) {
  const ids: string[] = [];
  for (const age of daysAgo) {
    const { pi, ch } = await buy(user);
    const created = now() - age * DAY;
    const d = dispute({ charge: ch, paymentIntent: pi, amount: 1000, created, status: opts.status });
    const res = await h.deliver(event('charge.dispute.created', d, { created }));
    expect(res.statusCode, res.body).toBe(200);
    ids.push(d.id as string);
  }
  return ids;
}

const day = (age: number) => new Date((now() - age * DAY) * 1000).toISOString().slice(0, 10);

describe('auto-block rule (default: more than 3 disputes in 180 days)', () => {
  it('3 disputes leave the customer active; the 4th within the window blocks them', async () => {
    await disputes('user_rule_4', [150, 100, 50]);
    expect((await customer('user_rule_4')).status).toBe('active');

    const [fourth] = await disputes('user_rule_4', [1]);
    const c = await customer('user_rule_4');
    expect(c).toMatchObject({ status: 'blocked', blockedReason: `4 disputes since ${day(150)}` });
    expect(c.blockedAt).not.toBeNull();

    const blocks = await h.prisma.blockEvent.findMany({ where: { customerId: c.id } });
    expect(blocks).toEqual([
      expect.objectContaining({ action: 'block', actorId: 'system', reason: `4 disputes since ${day(150)}` }),
    ]);
    const ent = await h.prisma.entitlementEvent.findFirstOrThrow({ where: { customerId: c.id, kind: 'blocked' } });
    expect(ent.reference).toBe(blocks[0]!.id);
    expect((ent.after as { entitlements: Record<string, unknown> }).entitlements).toEqual({ chat: false });
    const audit = await h.prisma.auditLog.findFirstOrThrow({ where: { customerId: c.id, action: 'customer.block' } });
    expect(audit).toMatchObject({ actorId: 'system:auto-block-rule', reason: `4 disputes since ${day(150)}` });
    // The event's processing summary says what the rule did.
    const attempt = await h.prisma.eventProcessingAttempt.findFirstOrThrow({
      where: { event: { objectId: fourth!, type: 'charge.dispute.created' } },
    });
    expect(attempt.summary).toContain(`customer blocked by the auto-block rule: 4 disputes since ${day(150)}`);

    // Blocked: no access, no usage, no checkout; the timeline says why.
    expect(await checkAccess(h.prisma, { customer: c, feature: 'chat' })).toMatchObject({
      allowed: false,
      reason: 'blocked',
    });
    await expect(
      recordUsage(h.prisma, {
        externalId: 'user_rule_4',
        feature: 'chat',
        idempotencyKey: uid('u'),
        actor: { type: 'service', id: 'k' },
      }),
    ).rejects.toMatchObject({ code: 'BLOCKED' });
    await expect(
      createCheckoutSession(
        { prisma: h.prisma, stripe: new Stripe('sk_test_never_called') },
        { customerId: 'user_rule_4', pack: 'starter', successUrl: 'https://x/ok', cancelUrl: 'https://x/no' },
      ),
    ).rejects.toMatchObject({ code: 'BLOCKED' });
    const timeline = await getTimeline(h.prisma, { customerId: c.id });
    const blockItem = timeline.items.find((i) => i.kind === 'block');
    expect(blockItem).toMatchObject({ title: 'Customer blocked', status: 'blocked' });
    expect(blockItem?.summary).toContain('the auto-block rule');

    // Later events on the same disputes do not add blocks.
    const again = await h.prisma.dispute.findUniqueOrThrow({ where: { id: fourth! } });
    await h.deliver(
      event(
        'charge.dispute.updated',
        dispute({
          id: again.id,
          charge: again.chargeId,
          paymentIntent: (await h.prisma.payment.findUniqueOrThrow({ where: { id: again.paymentId! } }))
            .paymentIntentId!,
          amount: 1000,
          created: unix(again.stripeCreated),
          status: 'under_review',
        }),
        { created: now() },
      ),
    );
    expect(await h.prisma.blockEvent.count({ where: { customerId: c.id } })).toBe(1);
  });

  it('4 disputes spread over more than the window do not block', async () => {
    await disputes('user_rule_spread', [400, 250, 100, 1]);
    const c = await customer('user_rule_spread');
    expect(c.status).toBe('active');
    expect(await h.prisma.dispute.count({ where: { customerId: c.id } })).toBe(4);
    expect(await h.prisma.blockEvent.count({ where: { customerId: c.id } })).toBe(0);
  });

  it('inquiries do not count', async () => {
    await disputes('user_rule_inquiry', [40, 30, 20], { status: 'warning_needs_response' });
    await disputes('user_rule_inquiry', [10, 5, 2]);
    expect((await customer('user_rule_inquiry')).status).toBe('active');
  });

  it('follows the catalog rule, and a staff unblock holds until the next dispute', async () => {
    await h.prisma.catalogRules.update({ where: { id: 1 }, data: { autoBlockDisputes: 1, autoBlockWindowDays: 30 } });
    try {
      await disputes('user_rule_custom', [45, 20]);
      expect((await customer('user_rule_custom')).status).toBe('active');
      await disputes('user_rule_custom', [3]);
      const c = await customer('user_rule_custom');
      expect(c).toMatchObject({ status: 'blocked', blockedReason: `2 disputes since ${day(20)}` });

      const finance: Actor = { type: 'staff', id: 'fin-1', email: 'fin@x.io', role: 'finance', ip: null };
      await unblockCustomer(
        { prisma: h.prisma, stripe: null },
        { customerId: c.id, reason: 'Customer verified by phone', actor: finance },
      );
      expect((await customer('user_rule_custom')).status).toBe('active');
      // Another event about an existing dispute: the override stands.
      const existing = await h.prisma.dispute.findFirstOrThrow({
        where: { customerId: c.id },
        orderBy: { stripeCreated: 'desc' },
      });
      const payment = await h.prisma.payment.findUniqueOrThrow({ where: { id: existing.paymentId! } });
      await h.deliver(
        event(
          'charge.dispute.updated',
          dispute({
            id: existing.id,
            charge: existing.chargeId,
            paymentIntent: payment.paymentIntentId!,
            amount: 1000,
            created: unix(existing.stripeCreated),
            status: 'under_review',
          }),
          { created: now() },
        ),
      );
      expect((await customer('user_rule_custom')).status).toBe('active');
      // A new dispute blocks again.
      await disputes('user_rule_custom', [0]);
      expect((await customer('user_rule_custom')).status).toBe('blocked');
      const history = await h.prisma.blockEvent.findMany({
        where: { customerId: c.id },
        orderBy: { createdAt: 'asc' },
      });
      expect(history.map((b) => [b.action, b.actorId])).toEqual([
        ['block', 'system'],
        ['unblock', 'fin-1'],
        ['block', 'system'],
      ]);
    } finally {
      await h.prisma.catalogRules.update({
        where: { id: 1 },
        data: { autoBlockDisputes: 3, autoBlockWindowDays: 180 },
      });
    }
  });

  it('records the outcome when a dispute closes', async () => {
    const [id] = await disputes('user_outcome', [2]);
    const row = await h.prisma.dispute.findUniqueOrThrow({ where: { id: id! } });
    const payment = await h.prisma.payment.findUniqueOrThrow({ where: { id: row.paymentId! } });
    await h.deliver(
      event(
        'charge.dispute.closed',
        dispute({
          id: row.id,
          charge: row.chargeId,
          paymentIntent: payment.paymentIntentId!,
          amount: 1000,
          created: unix(row.stripeCreated),
          status: 'lost',
        }),
        { created: now() },
      ),
    );
    expect(await h.prisma.dispute.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: 'lost',
      outcome: 'lost',
    });
  });
});
