// A webhook endpoint pointed at the wrong deployment: a live event reaching a test-mode Creditdesk
// (or a test event reaching a live one) is stored, answered 2xx, and refused with its cause: never
// applied, not in the webhook's one transaction, not by a reprocess, and a dry run says so too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event } from '../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../test/stripe/harness.ts';
import { dryRunEvents } from '../modules/stripe-events/dry-run-events.ts';
import { processEvent } from '../modules/stripe-events/process-event.ts';
import { pipelineContext } from './pipeline.ts';

async function expectRefused(h: WebhookHarness, livemode: boolean, userId: string) {
  const e = event('checkout.session.completed', checkoutSession({ userId, kind: 'pack', key: 'starter' }));
  e.livemode = livemode;
  const res = await h.deliver(e);
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({ duplicate: false, status: 'failed' });
  const row = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: e.id as string } });
  expect(row).toMatchObject({
    livemode,
    status: 'failed',
    cause: 'livemode_mismatch',
    causeDetail: { eventLivemode: livemode },
  });
  expect(row.lastError).toContain(livemode ? 'live-mode event' : 'test-mode event');
  expect(await h.prisma.customer.findUnique({ where: { externalId: userId } })).toBeNull();
  expect(await h.prisma.ledgerEntry.count()).toBe(0);

  // A forced reprocess by staff refuses it the same way; the dry run predicts that.
  const ctx = pipelineContext(h.t.deps);
  const again = await processEvent(ctx, e.id as string, { force: true, actorId: 'staff-1' });
  expect(again).toMatchObject({ status: 'failed', cause: { code: 'livemode_mismatch' } });
  const dry = await dryRunEvents(ctx, [e.id as string]);
  expect(dry.events[0]).toMatchObject({ outcome: 'failed', cause: { code: 'livemode_mismatch' } });
  expect(await h.prisma.ledgerEntry.count()).toBe(0);
}

describe('a test-mode deployment (test key or emulator)', () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    h = await createWebhookHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a live event (even a paid pack checkout)', async () => {
    await expectRefused(h, true, 'live_user_on_test');
  });

  it('still applies its own test events', async () => {
    const e = event(
      'checkout.session.completed',
      checkoutSession({ userId: 'test_user', kind: 'pack', key: 'starter' }),
    );
    expect((await h.deliver({ ...e, livemode: false })).json()).toMatchObject({ status: 'processed' });
    expect((await h.prisma.customer.findUniqueOrThrow({ where: { externalId: 'test_user' } })).balance).toBe(500);
  });
});

describe('a live-mode deployment', () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    h = await createWebhookHarness({ env: { STRIPE_SECRET_KEY: 'sk_live_creditdesk_test_only' } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses a test event', async () => {
    await expectRefused(h, false, 'test_user_on_live');
  });
});
