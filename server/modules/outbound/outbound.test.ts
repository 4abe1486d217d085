// Outbound events on real PostgreSQL: the outbox is written in the change's own transaction (a
// rollback leaves nothing), each crossing reports once, deliveries are signed, retried with
// backoff, given up and the endpoint disabled after 3 days (injected clock), and bad URLs refused.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import type { Actor } from '../../lib/actor.ts';
import { SYSTEM_ACTOR } from '../../lib/actor.ts';
import { recordBlock } from '../blocks/record-block.ts';
import { getTimeline } from '../support/get-timeline.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { announceExpiringLots } from './announce-expiring-lots.ts';
import { createEndpoint } from './create-endpoint.ts';
import { dispatchOutbound, fanOutEvents } from './dispatch-outbound.ts';
import { checkEndpointUrl } from './endpoint-url.ts';
import { resendOutboundEvent, sendTestEvent } from './resend-outbound-event.ts';
import { SIGNATURE_HEADER, verifySignature } from './sign-payload.ts';

let t: TestContext;
const admin: Actor = { type: 'staff', id: 'admin-1', email: 'a@x.test', role: 'admin', ip: null };
const dev = { development: true };

interface Received {
  body: string;
  headers: IncomingMessage['headers'];
}
let server: Server;
let receiverUrl = '';
const received: Received[] = [];
let answer: { status: number; headers?: Record<string, string>; hang?: boolean } = { status: 200 };

beforeAll(async () => {
  t = await createTestDeps();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, headers: req.headers });
      if (answer.hang) return;
      res.writeHead(answer.status, answer.headers).end(`status ${answer.status}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await t?.db.drop();
});

const events = (customerId: string, type?: string) =>
  t.deps.prisma.outboundEvent.findMany({
    where: { customerId, ...(type ? { type } : {}) },
    orderBy: { createdAt: 'asc' },
  });

async function customerWith(externalId: string, credits: number, threshold?: number) {
  const c = await ensureCustomer(t.deps.prisma, { externalId, email: `${externalId}@x.test` });
  if (threshold !== undefined) {
    await t.deps.prisma.customer.update({ where: { id: c.id }, data: { lowBalanceThreshold: threshold } });
  }
  if (credits > 0) {
    await grantCredits(t.deps.prisma, {
      customerId: c.id,
      credits,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: `seed:${externalId}`,
      reason: 'seed',
      actor: SYSTEM_ACTOR,
    });
  }
  return c;
}

const use = (customerId: string, credits: number, key: string) =>
  consumeCredits(t.deps.prisma, { customerId, credits, idempotencyKey: key, reason: 'use', actor: SYSTEM_ACTOR });

describe('outbox', () => {
  it('writes credits.granted with the grant, and nothing when the transaction rolls back', async () => {
    const c = await customerWith('ob-grant', 100);
    const granted = await events(c.id, 'credits.granted');
    expect(granted).toHaveLength(1);
    expect(granted[0]).toMatchObject({ version: 1, payload: { externalId: 'ob-grant', credits: 100, balance: 100 } });
    expect(granted[0]!.id).toMatch(/^evt_cd_[0-9a-f]{32}$/);

    await expect(
      t.deps.prisma.$transaction(async (tx) => {
        await grantCredits(tx, {
          customerId: c.id,
          credits: 5,
          type: 'grant',
          source: 'promo',
          costBasis: 'free',
          idempotencyKey: 'ob-grant-crash',
          reason: 'crashes after the grant',
          actor: SYSTEM_ACTOR,
        });
        throw new Error('crash after the write');
      }),
    ).rejects.toThrow('crash');
    expect(await events(c.id, 'credits.granted')).toHaveLength(1);
    // A replayed grant (same idempotency key) posts nothing and reports nothing.
    await customerWith('ob-grant', 100);
    expect(await events(c.id, 'credits.granted')).toHaveLength(1);
  });

  it('reports credits.low once per crossing and credits.depleted at zero', async () => {
    const c = await customerWith('ob-low', 100, 50);
    await use(c.id, 30, 'low-1'); // 70: above
    expect(await events(c.id, 'credits.low')).toHaveLength(0);
    await use(c.id, 30, 'low-2'); // 40: crossed
    await use(c.id, 10, 'low-3'); // 30: still below, no new crossing
    const low = await events(c.id, 'credits.low');
    expect(low).toHaveLength(1);
    expect(low[0]!.payload).toMatchObject({ balanceBefore: 70, balance: 40, threshold: 50 });
    await grantCredits(t.deps.prisma, {
      customerId: c.id,
      credits: 100,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'ob-low-refill',
      reason: 'refill',
      actor: SYSTEM_ACTOR,
    }); // 130
    await use(c.id, 130, 'low-4'); // 0: a new crossing, and depleted
    expect(await events(c.id, 'credits.low')).toHaveLength(2);
    expect((await events(c.id, 'credits.depleted')).map((e) => e.payload)).toEqual([
      { externalId: 'ob-low', balanceBefore: 130, balance: 0 },
    ]);
    // Support sees them on the customer's timeline.
    const timeline = await getTimeline(t.deps.prisma, { customerId: c.id, kinds: ['outbound'] });
    expect(timeline.items.map((i) => i.title).sort()).toEqual([
      'Told the product: credits.depleted',
      'Told the product: credits.granted',
      'Told the product: credits.granted',
      'Told the product: credits.low',
      'Told the product: credits.low',
    ]);
    expect(timeline.items[0]!.summary).toMatch(/^evt_cd_\w+ \(v1\): no endpoint subscribed$/);
  });

  it('reports entitlements.changed and customer.blocked with a block', async () => {
    const c = await customerWith('ob-block', 0);
    await recordBlock(t.deps.prisma, { customerId: c.id, reason: 'fraud ring', actor: admin });
    const blocked = await events(c.id, 'customer.blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.payload).toMatchObject({ externalId: 'ob-block', reason: 'fraud ring' });
    const changed = await events(c.id, 'entitlements.changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.payload).toMatchObject({ kind: 'blocked', status: 'blocked' });
  });

  it('announces credits.expiring once per lot, 7 days ahead', async () => {
    const c = await ensureCustomer(t.deps.prisma, { externalId: 'ob-exp', email: 'exp@x.test' });
    const now = new Date();
    for (const [key, days] of [
      ['soon', 5],
      ['later', 30],
    ] as const) {
      await grantCredits(t.deps.prisma, {
        customerId: c.id,
        credits: 10,
        type: 'grant',
        source: 'promo',
        costBasis: 'free',
        expiresAt: new Date(now.getTime() + days * 86_400_000),
        idempotencyKey: `ob-exp-${key}`,
        reason: key,
        actor: SYSTEM_ACTOR,
      });
    }
    await announceExpiringLots(t.deps.prisma, now);
    await announceExpiringLots(t.deps.prisma, now);
    const expiring = await events(c.id, 'credits.expiring');
    expect(expiring).toHaveLength(1);
    expect(expiring[0]!.payload).toMatchObject({ credits: 10 });
  });
});

describe('deliveries', () => {
  it('delivers each event once, signed; a re-run sends nothing more', async () => {
    const { endpoint, secret } = await createEndpoint(t.deps.prisma, {
      url: receiverUrl,
      description: 'receiver',
      eventTypes: ['credits.granted'],
      actor: admin,
      policy: dev,
    });
    received.length = 0;
    answer = { status: 200 };
    const c = await customerWith('ob-deliver', 25);
    const first = await dispatchOutbound(t.deps.prisma, { policy: dev });
    expect(first.succeeded).toBeGreaterThanOrEqual(1);
    await dispatchOutbound(t.deps.prisma, { policy: dev });
    const mine = received.filter((r) => JSON.parse(r.body).customerId === c.id);
    expect(mine).toHaveLength(1);
    const body = JSON.parse(mine[0]!.body);
    expect(body).toMatchObject({ type: 'credits.granted', version: 1, data: { credits: 25 } });
    expect(mine[0]!.headers['creditdesk-event-id']).toBe(body.id);
    const header = String(mine[0]!.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, mine[0]!.body, header)).toBe(true);
    expect(verifySignature(secret, mine[0]!.body.replace('25', '26'), header)).toBe(false);
    expect(verifySignature('whsec_wrong', mine[0]!.body, header)).toBe(false);
    const deliveries = await t.deps.prisma.outboundDelivery.findMany({
      where: { endpointId: endpoint.id, eventId: body.id },
    });
    expect(deliveries).toMatchObject([
      { status: 'succeeded', attempts: 1, responseCode: 200, responseExcerpt: 'status 200' },
    ]);

    // Resend (of a delivered event) and a test event: new manual deliveries, same event id on the resend.
    await resendOutboundEvent(t.deps.prisma, { endpointId: endpoint.id, eventId: body.id, actor: admin });
    const { eventId } = await sendTestEvent(t.deps.prisma, { endpointId: endpoint.id, actor: admin });
    await dispatchOutbound(t.deps.prisma, { policy: dev });
    expect(received.filter((r) => JSON.parse(r.body).id === body.id)).toHaveLength(2);
    expect(received.filter((r) => JSON.parse(r.body).id === eventId).map((r) => JSON.parse(r.body).type)).toEqual([
      'endpoint.test',
    ]);
    await t.deps.prisma.outboundEndpoint.delete({ where: { id: endpoint.id } });
  });

  it('a worker that died mid-send leaves the delivery to be sent again once its claim expires (at least once)', async () => {
    const { endpoint } = await createEndpoint(t.deps.prisma, {
      url: receiverUrl,
      description: 'crash',
      eventTypes: [],
      actor: admin,
      policy: dev,
    });
    await t.deps.prisma.outboundEvent.updateMany({ where: { fannedOutAt: null }, data: { fannedOutAt: new Date() } });
    answer = { status: 200 };
    const { eventId } = await sendTestEvent(t.deps.prisma, { endpointId: endpoint.id, actor: admin });
    // A worker fanned it out, claimed it and died before recording anything.
    const t0 = new Date(Date.now() + 1000);
    await fanOutEvents(t.deps.prisma, t0);
    await t.deps.prisma.outboundDelivery.updateMany({
      where: { endpointId: endpoint.id },
      data: { status: 'sending', lockedUntil: new Date(t0.getTime() + 60_000) },
    });
    const sendingRun = await dispatchOutbound(t.deps.prisma, {
      policy: dev,
      now: () => new Date(t0.getTime() + 30_000),
    });
    expect(sendingRun.sent).toBe(0); // still claimed
    const before = received.filter((r) => JSON.parse(r.body).id === eventId).length;
    await dispatchOutbound(t.deps.prisma, { policy: dev, now: () => new Date(t0.getTime() + 61_000) });
    expect(received.filter((r) => JSON.parse(r.body).id === eventId).length).toBe(before + 1);
    expect(await t.deps.prisma.outboundDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).toMatchObject(
      {
        status: 'succeeded',
      },
    );
    await t.deps.prisma.outboundEndpoint.delete({ where: { id: endpoint.id } });
  });

  it('retries with backoff, gives up after 3 days and disables the endpoint', async () => {
    const { endpoint } = await createEndpoint(t.deps.prisma, {
      url: receiverUrl,
      description: 'failing',
      eventTypes: ['credits.granted'],
      actor: admin,
      policy: dev,
    });
    answer = { status: 500 };
    await t.deps.prisma.outboundEvent.updateMany({ where: { fannedOutAt: null }, data: { fannedOutAt: new Date() } });
    await customerWith('ob-retry', 5);
    const t0 = new Date(Date.now() + 1000);
    let clock = t0;
    const run = () => dispatchOutbound(t.deps.prisma, { policy: dev, now: () => clock });
    const delivery = () => t.deps.prisma.outboundDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });

    await run();
    expect(await delivery()).toMatchObject({ status: 'retrying', attempts: 1, responseCode: 500 });
    expect((await delivery()).nextAttemptAt!.getTime() - t0.getTime()).toBe(30_000);
    clock = new Date(t0.getTime() + 10_000);
    expect((await run()).sent).toBe(0); // not due yet
    clock = new Date(t0.getTime() + 31_000);
    await run();
    const second = await delivery();
    expect(second).toMatchObject({ status: 'retrying', attempts: 2 });
    expect(second.nextAttemptAt!.getTime() - clock.getTime()).toBe(60_000);
    expect((await t.deps.prisma.outboundEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(true);

    clock = new Date(t0.getTime() + 3 * 86_400_000 + 1000);
    await run();
    expect(await delivery()).toMatchObject({ status: 'failed', attempts: 3 });
    const disabled = await t.deps.prisma.outboundEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled).toMatchObject({ enabled: false });
    expect(disabled.disabledReason).toContain('failed for 3 days');
    answer = { status: 200 };
    await t.deps.prisma.outboundEndpoint.delete({ where: { id: endpoint.id } });
  });

  it('treats a redirect as a failure that says so, and times out a slow endpoint', async () => {
    const { endpoint } = await createEndpoint(t.deps.prisma, {
      url: receiverUrl,
      description: 'redirecting',
      eventTypes: [],
      actor: admin,
      policy: dev,
    });
    await t.deps.prisma.outboundEvent.updateMany({ where: { fannedOutAt: null }, data: { fannedOutAt: new Date() } });
    answer = { status: 302, headers: { location: 'https://elsewhere.example/' } };
    await sendTestEvent(t.deps.prisma, { endpointId: endpoint.id, actor: admin });
    await dispatchOutbound(t.deps.prisma, { policy: dev });
    const redirected = await t.deps.prisma.outboundDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
    expect(redirected).toMatchObject({ status: 'retrying', responseCode: 302 });
    expect(redirected.error).toContain('Redirects are not followed');

    answer = { status: 200, hang: true };
    await sendTestEvent(t.deps.prisma, { endpointId: endpoint.id, actor: admin });
    const started = Date.now();
    await dispatchOutbound(t.deps.prisma, { policy: dev, timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3000);
    const slow = await t.deps.prisma.outboundDelivery.findFirstOrThrow({
      where: { endpointId: endpoint.id, responseCode: null },
    });
    expect(slow.error).toContain('timed out');
    answer = { status: 200 };
    await t.deps.prisma.outboundEndpoint.delete({ where: { id: endpoint.id } });
  });
});

describe('endpoint URLs', () => {
  const prod = (addresses: string[]) => ({ development: false, resolve: async () => addresses });
  it.each([
    ['http://hooks.example.com/x', ['93.184.216.34'], 'must start with https://'],
    ['not a url', [], 'Enter a full URL'],
    ['https://10.1.2.3/x', [], 'private or reserved'],
    ['https://[fe80::1]/x', [], 'private or reserved'],
    ['https://169.254.169.254/latest', [], 'private or reserved'],
    ['https://localhost/x', ['127.0.0.1'], 'loopback'],
    ['https://internal.example.com/x', ['93.184.216.34', '192.168.1.20'], 'private or reserved'],
    ['https://user:pw@hooks.example.com/x', ['93.184.216.34'], 'Credentials'],
  ])('refuses %s', async (url, addresses, message) => {
    await expect(checkEndpointUrl(url, prod(addresses))).rejects.toThrow(message);
  });
  it('accepts a public https URL, and loopback http in development', async () => {
    await expect(checkEndpointUrl('https://hooks.example.com/x', prod(['93.184.216.34']))).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('http://127.0.0.1:4000/x', { development: true })).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('http://10.0.0.1/x', { development: true })).rejects.toThrow('private');
  });
  it('refuses to save a bad endpoint and writes nothing', async () => {
    const before = await t.deps.prisma.outboundEndpoint.count();
    await expect(
      createEndpoint(t.deps.prisma, {
        url: 'https://10.0.0.8/hooks',
        description: '',
        eventTypes: [],
        actor: admin,
        policy: { development: false },
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await t.deps.prisma.outboundEndpoint.count()).toBe(before);
  });
});
