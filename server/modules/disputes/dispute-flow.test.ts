// Disputes end to end with the Stripe emulator delivering signed webhooks to the running app: a
// pack bought through Checkout and used through the service API is disputed; the evidence pack
// is assembled, previewed, staged (submit=false: Stripe holds it, the bank does not have it),
// edited (submit refused until staged again), submitted (submit=true: under review, one
// submission), and the bank's "won" releases the frozen credits and counts in the win rate.
// Also the Radar block list: a staff block puts the email and card fingerprint on Stripe's block
// lists (a second account paying with that card is declined) and the unblock takes them off.
import type { FastifyInstance } from 'fastify';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { seedTestCatalog } from '../../../test/stripe/harness.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/client.ts';
import { EmulatorDriver } from '../../../emulator/driver.ts';
import { createStripeFactory } from '../../stripe/client.ts';
import { createContextInner } from '../../trpc/context.ts';
import { createCallerFactory } from '../../trpc/init.ts';
import { appRouter } from '../../trpc/router.ts';
import { until } from '../../../test/until.ts';

const KEY = 'dispute-flow-service-api-key-0123456789';
let t: TestContext;
let app: FastifyInstance;
let db: Db;
let stripe: Stripe;
let driver: EmulatorDriver;
let stopStripe: () => Promise<void>;

type Role = 'support' | 'finance' | 'admin';
const caller = (role: Role) =>
  createCallerFactory(appRouter)(
    createContextInner(t.deps, { id: `u-${role}`, email: `${role}@desk.io`, name: role, role }, '10.3.3.3'),
  );

async function settled() {
  await driver.waitForIdle({ timeoutMs: 15_000 });
  await until(async () => (await db.stripeEvent.count({ where: { status: { in: ['received', 'deferred'] } } })) === 0);
}

async function api(method: 'POST', url: string, payload: object) {
  const res = await app.inject({ method, url, headers: { authorization: `Bearer ${KEY}` }, payload });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, unknown>;
}

async function buyStarter(externalId: string, card?: { fingerprint: string }) {
  const session = (await api('POST', '/api/v1/checkout-sessions', {
    customerId: externalId,
    pack: 'starter',
    successUrl: 'https://app.example/ok',
    cancelUrl: 'https://app.example/no',
  })) as { id: string };
  return driver.payCheckoutSession(session.id, 'card_success', card ? { card } : {});
}

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY } });
  db = t.deps.prisma;
  await seedTestCatalog(db);
  await db.feature.create({ data: { key: 'chat', name: 'Chat', creditCost: 1 } });
  await db.catalogRules.update({
    where: { id: 1 },
    data: {
      refundPolicy: 'Used credits are not refundable.',
      cancellationPolicy: 'Cancel any time.',
      productDescription: 'AI chat and images, paid with credits.',
    },
  });
  app = await buildApp(t.deps, { logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const started = await createStripeFactory({
    timeScale: 0.00001,
    stateFile: null,
    webhookUrl: `${address}/api/stripe/webhook`,
  })(t.deps.env, t.deps.log);
  t.deps.stripe = started.connection;
  stopStripe = started.stop;
  stripe = started.connection!.client;
  driver = EmulatorDriver.fromStripe(stripe);
  await db.catalogPrice.deleteMany();
  const product = await stripe.products.create({ name: 'Starter pack' });
  const price = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 900 });
  await db.catalogPrice.create({ data: { stripePriceId: price.id, packKey: 'starter' } });
});
afterAll(async () => {
  await stopStripe?.();
  // The emulator's webhook deliveries leave keep-alive sockets open; close them rather than wait them out.
  const closing = app?.close();
  app?.server.closeAllConnections();
  await closing;
  await t?.db.drop();
});

describe('a dispute through the Stripe emulator', () => {
  it('stages without submitting, refuses a changed pack, submits once, and releases the credits when won', async () => {
    await db.customer.create({ data: { externalId: 'flow_ada', email: 'ada@example.com', name: 'Ada Lovelace' } });
    const paid = await buyStarter('flow_ada');
    expect(paid.error).toBeNull();
    await until(
      async () => (await db.customer.findUniqueOrThrow({ where: { externalId: 'flow_ada' } })).balance === 500,
    );
    for (const [i, credits] of [10, 1, 10].entries()) {
      await api('POST', '/api/v1/usage', {
        customerId: 'flow_ada',
        feature: 'chat',
        credits,
        idempotencyKey: `flow-ada-${i}`,
        metadata: {
          operation: 'generate',
          model: credits > 1 ? 'imagen-3' : 'gpt-4o-mini',
          resultReference: `https://cdn.example/ada/${i}.png`,
          clientIp: '203.0.113.77',
          userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131',
        },
      });
    }
    const opened = await driver.openDispute(paid.charge!.id, 'product_not_received');
    await settled();
    const row = await db.dispute.findUniqueOrThrow({ where: { id: opened.id } });
    expect(row).toMatchObject({ status: 'needs_response', frozenCredits: 479, reason: 'product_not_received' });

    const support = caller('support');
    const list = await support.disputes.list({});
    const listed = list.items.find((d) => d.id === opened.id);
    expect(listed?.due).toMatchObject({ state: 'needs_response', urgency: 'ok' });
    expect(listed!.due.msLeft!).toBeGreaterThan(6.9 * 86_400_000);

    const page = await support.disputes.get({ disputeId: opened.id });
    expect(page.packSaved).toBe(false);
    expect(page.pack?.facts.usage).toMatchObject({ scope: 'lot', requests: 3, credits: 21 });
    expect(page.pack?.fields.access_activity_log).toContain('https://cdn.example/ada/2.png');
    expect(page.lot).toMatchObject({ frozen: true, remaining: 479 });
    const preview = await caller('finance').disputes.evidencePdf({ disputeId: opened.id });
    expect(Buffer.from(preview.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(preview.bytes).toBeLessThanOrEqual(preview.limits.bytes);

    await expect(support.disputes.submit({ disputeId: opened.id, reason: 'Send it now' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Stage the evidence first: the bank receives exactly what was staged',
    });

    // Stage: Stripe holds the evidence (has_evidence) but nothing was submitted.
    const staged = await support.disputes.stage({ disputeId: opened.id, reason: 'Evidence ready for review' });
    expect(staged.fileId).toMatch(/^file_/);
    let remote = await stripe.disputes.retrieve(opened.id);
    expect(remote.status).toBe('needs_response');
    expect(remote.evidence_details).toMatchObject({ has_evidence: true, submission_count: 0 });
    expect(remote.evidence.service_documentation).toBe(staged.fileId);
    expect(remote.evidence.customer_name).toBe('Ada Lovelace');
    expect(remote.evidence.access_activity_log).toContain('https://cdn.example/ada/0.png');
    const file = await stripe.files.retrieve(staged.fileId);
    expect(file).toMatchObject({ purpose: 'dispute_evidence', size: staged.bytes, type: 'pdf' });
    expect(await db.dispute.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({
      evidenceFileId: staged.fileId,
      submittedAt: null,
    });
    expect((await support.disputes.get({ disputeId: opened.id })).due.state).toBe('staged');

    // An edit after staging: submit refused until staged again.
    const fields = { ...page.pack!.fields, uncategorized_text: `${page.pack!.fields.uncategorized_text}\n\nEdited.` };
    expect((await support.disputes.saveEvidence({ disputeId: opened.id, fields })).changedFields).toEqual([
      'uncategorized_text',
    ]);
    expect((await support.disputes.get({ disputeId: opened.id })).changedSinceStaged).toBe(true);
    await expect(support.disputes.submit({ disputeId: opened.id, reason: 'Send it now' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'The evidence changed after it was staged: stage it again, then submit',
    });
    const restaged = await support.disputes.stage({ disputeId: opened.id, reason: 'Restage after the edit' });
    expect(restaged.fileId).not.toBe(staged.fileId);

    const submitted = await support.disputes.submit({ disputeId: opened.id, reason: 'Customer used the credits' });
    expect(submitted.status).toBe('under_review');
    remote = await stripe.disputes.retrieve(opened.id);
    expect(remote.status).toBe('under_review');
    expect(remote.evidence_details.submission_count).toBe(1);
    expect(remote.evidence.uncategorized_text).toContain('Edited.');
    expect(remote.evidence.service_documentation).toBe(restaged.fileId);
    await expect(support.disputes.submit({ disputeId: opened.id, reason: 'Once more' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(support.disputes.saveEvidence({ disputeId: opened.id, fields })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const audits = await db.auditLog.findMany({ where: { targetId: opened.id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.actorRole, a.reason])).toEqual([
      ['dispute.stage_evidence', 'support', 'Evidence ready for review'],
      ['dispute.edit_evidence', 'support', null],
      ['dispute.stage_evidence', 'support', 'Restage after the edit'],
      ['dispute.submit_evidence', 'support', 'Customer used the credits'],
    ]);
    await settled();
    expect((await support.disputes.get({ disputeId: opened.id })).due.state).toBe('submitted');

    // The bank decides: won. Frozen credits are released, the outcome counts in the win rate.
    await driver.closeDispute(opened.id, 'won');
    await settled();
    expect(await db.dispute.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({
      status: 'won',
      outcome: 'won',
    });
    const after = await support.disputes.get({ disputeId: opened.id });
    expect(after.lot).toMatchObject({ frozen: false, remaining: 479 });
    expect(after.due.state).toBe('won');
    expect(await support.disputes.stats({})).toMatchObject({ winRatePercent: 100, decided: 1 });
    const usage = await app.inject({
      method: 'POST',
      url: '/api/v1/access/check',
      headers: { authorization: `Bearer ${KEY}` },
      payload: { customerId: 'flow_ada', feature: 'chat' },
    });
    expect(usage.json()).toMatchObject({ allowed: true });
  });

  it('puts a blocked customer on the Radar block lists and takes them off on unblock', async () => {
    await db.catalogRules.update({ where: { id: 1 }, data: { radarBlockList: true } });
    const card = { fingerprint: 'fp_radar_flow_0001' };
    const c = await db.customer.create({ data: { externalId: 'flow_radar', email: 'mallory@example.com' } });
    const paid = await buyStarter('flow_radar', card);
    expect(paid.error).toBeNull();
    await settled();

    const blocked = await caller('support').blocks.block({ customerId: c.id, reason: 'Stolen card reports' });
    expect(blocked.radar).toMatchObject({ status: 'done', error: null });
    expect(blocked.radar!.items.map((i) => [i.list, i.value]).sort()).toEqual([
      ['card_fingerprint_block_list', 'fp_radar_flow_0001'],
      ['email_block_list', 'mallory@example.com'],
    ]);
    const emailList = (await stripe.radar.valueLists.list({ alias: 'email_block_list' })).data[0]!;
    const listed = await stripe.radar.valueListItems.list({ value_list: emailList.id, value: 'mallory@example.com' });
    expect(listed.data).toHaveLength(1);

    // Another account paying with the same card is declined by Radar.
    await db.customer.create({ data: { externalId: 'flow_radar_2', email: 'other@example.com' } });
    const declined = await buyStarter('flow_radar_2', card);
    expect(declined.error).not.toBeNull();

    const unblocked = await caller('finance').blocks.unblock({ customerId: c.id, reason: 'Card owner confirmed' });
    expect(unblocked.radar).toMatchObject({ status: 'done' });
    expect(unblocked.radar!.items).toHaveLength(2);
    expect(
      (await stripe.radar.valueListItems.list({ value_list: emailList.id, value: 'mallory@example.com' })).data,
    ).toHaveLength(0);
    const retry = await buyStarter('flow_radar_2', card);
    expect(retry.error).toBeNull();
    await db.catalogRules.update({ where: { id: 1 }, data: { radarBlockList: false } });
  });
});
