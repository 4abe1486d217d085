// What /api/stripe/webhook refuses: every malformed or unverifiable request gets a 400 and leaves
// no event and no delivery behind; the refusal is counted (without its payload) for support.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, signedHeader, unix } from '../../test/stripe/builders.ts';
import {
  createWebhookHarness,
  OLD_WEBHOOK_SECRET,
  WEBHOOK_SECRET,
  type WebhookHarness,
} from '../../test/stripe/harness.ts';
import { getWebhookHealth } from '../modules/stripe-events/get-webhook-health.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Refusals counted for a reason (the counters' sum over every hour). */
async function rejections(reason: string): Promise<number> {
  const { _sum } = await h.prisma.webhookRejectionCount.aggregate({ where: { reason }, _sum: { count: true } });
  return _sum.count ?? 0;
}

async function stored() {
  return {
    events: await h.prisma.stripeEvent.count(),
    deliveries: await h.prisma.webhookDelivery.count(),
  };
}

const packEvent = () =>
  event('checkout.session.completed', checkoutSession({ userId: 'user_sig', kind: 'pack', key: 'starter' }));

describe('webhook signature and body checks', () => {
  const cases: Array<{ name: string; reason: string; send: () => ReturnType<WebhookHarness['deliver']> }> = [
    {
      name: 'a bad signature',
      reason: 'bad_signature',
      send: () => h.deliver(packEvent(), { header: `t=${unix(Date.now())},v1=${'ab'.repeat(32)}` }),
    },
    {
      name: 'a stale timestamp (beyond the 300 s tolerance)',
      reason: 'stale_timestamp',
      send: () => h.deliver(packEvent(), { timestamp: unix(Date.now()) - 3600 }),
    },
    {
      name: 'a secret we do not hold',
      reason: 'bad_signature',
      send: () => h.deliver(packEvent(), { secret: 'whsec_someone_elses_secret' }),
    },
    {
      name: 'a truncated body',
      reason: 'bad_signature',
      send: () => {
        const e = packEvent();
        const payload = JSON.stringify(e);
        return h.deliver(e, {
          body: payload.slice(0, payload.length - 20),
          header: signedHeader(payload, WEBHOOK_SECRET),
        });
      },
    },
    {
      name: 'a wrong content type',
      reason: 'wrong_content_type',
      send: () => h.deliver(packEvent(), { contentType: 'text/plain' }),
    },
    {
      name: 'a form-encoded body',
      reason: 'wrong_content_type',
      send: () => h.deliver(packEvent(), { contentType: 'application/x-www-form-urlencoded' }),
    },
    { name: 'no signature header', reason: 'missing_signature', send: () => h.deliver(packEvent(), { header: null }) },
    {
      name: 'a garbled signature header',
      reason: 'bad_signature',
      send: () => h.deliver(packEvent(), { header: 'not-a-stripe-signature' }),
    },
    {
      name: 'a correctly signed body that is not JSON',
      reason: 'malformed_json',
      send: () => h.deliver({}, { body: '{"id": "evt_1", ', header: signedHeader('{"id": "evt_1", ', WEBHOOK_SECRET) }),
    },
    {
      name: 'correctly signed JSON that is not a Stripe event',
      reason: 'malformed_event',
      send: () => h.deliver({ hello: 'world' }),
    },
  ];

  for (const contentType of ['/', ';', 'text/']) {
    it(`answers 400 (not 500) to the malformed Content-Type ${contentType}`, async () => {
      const before = await stored();
      const res = await h.deliver(packEvent(), { contentType });
      expect(res.statusCode).toBe(400);
      expect(await stored()).toEqual(before);
    });
  }

  it('answers 413 (not 500) to a body over the limit, and counts it', async () => {
    const before = await rejections('body_too_large');
    const body = JSON.stringify({ ...packEvent(), padding: 'x'.repeat(2 * 1024 * 1024) });
    const res = await h.deliver({}, { body, header: signedHeader(body, WEBHOOK_SECRET) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'webhook_rejected', reason: 'body_too_large' } });
    expect(await rejections('body_too_large')).toBe(before + 1);
  });

  for (const c of cases) {
    it(`answers 400 to ${c.name} and stores nothing`, async () => {
      const before = await stored();
      const rejectionsBefore = await rejections(c.reason);
      const res = await c.send();
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'webhook_rejected', reason: c.reason } });
      expect(await stored()).toEqual(before);
      expect(await rejections(c.reason)).toBe(rejectionsBefore + 1);
    });
  }

  it('counts rejections by reason for support, without keeping any payload', async () => {
    const health = await getWebhookHealth(h.prisma, { since: new Date(Date.now() - 60_000) });
    expect(health.rejections.total).toBe(cases.length + 4);
    expect(health.rejections.byReason).toMatchObject({
      bad_signature: 4,
      stale_timestamp: 1,
      wrong_content_type: 2,
      missing_signature: 1,
      malformed_json: 1,
      malformed_event: 1,
    });
    const columns = Object.keys((await h.prisma.webhookRejectionCount.findFirstOrThrow()) as object);
    expect(columns.sort()).toEqual(['count', 'firstAt', 'hour', 'lastAt', 'lastIp', 'reason']);
  });
});

describe('webhook secret rotation', () => {
  it('accepts an event signed with the previous secret while both are configured', async () => {
    const res = await h.deliver(packEvent(), { secret: OLD_WEBHOOK_SECRET });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ received: true, duplicate: false, status: 'processed' });
  });

  it('accepts a header carrying both signatures, as Stripe sends during a roll', async () => {
    const e = packEvent();
    const payload = JSON.stringify(e);
    const t = unix(Date.now());
    const oldSig = signedHeader(payload, OLD_WEBHOOK_SECRET, t).split(',')[1];
    const newSig = signedHeader(payload, WEBHOOK_SECRET, t).split(',')[1];
    const res = await h.deliver(e, { header: `t=${t},${oldSig},${newSig},v0=deadbeef` });
    expect(res.statusCode).toBe(200);
    expect(await h.prisma.stripeEvent.findUnique({ where: { id: e.id as string } })).not.toBeNull();
  });

  it('refuses with 503 (so Stripe retries) when no secret is configured at all', async () => {
    const bare = await createWebhookHarness({ env: { STRIPE_WEBHOOK_SECRET: '' } });
    try {
      const res = await bare.deliver(packEvent());
      expect(res.statusCode).toBe(503);
      expect(await bare.prisma.stripeEvent.count()).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
