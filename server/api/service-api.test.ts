import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { until } from '../../test/until.ts';
import { buildApp } from '../app.ts';
import { PROJECT_ROOT } from '../db/migrator.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { createApiKey } from '../modules/api-keys/create-api-key.ts';
import { revokeApiKey } from '../modules/api-keys/revoke-api-key.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { setCustomerPlan } from '../modules/entitlements/set-customer-plan.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { verifyLedger } from '../modules/ledger/verify-ledger.ts';

const BOOTSTRAP = 'bootstrap-service-key-0123456789abcdef';
let t: TestContext;
let app: FastifyInstance;
let n = 0;

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: BOOTSTRAP } });
  const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
  await importCatalog(t.deps.prisma, catalog, SYSTEM_ACTOR);
  app = await buildApp(t.deps, { logger: false });
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

type Method = 'GET' | 'PUT' | 'POST';
function call(method: Method, url: string, payload?: unknown, key: string | null = BOOTSTRAP) {
  return app.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

/** A customer with `credits` free credits on `plan` (default: the free plan). */
async function customer(credits = 0, plan?: string) {
  n += 1;
  const externalId = `user_${n}`;
  const res = await call('PUT', `/api/v1/customers/${externalId}`, {
    email: `user${n}@example.com`,
    name: `User ${n}`,
  });
  expect(res.statusCode).toBe(200);
  const id = res.json().id as string;
  if (credits > 0) {
    await grantCredits(t.deps.prisma, {
      customerId: id,
      credits,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: `seed-${externalId}`,
      reason: 'test credits',
      actor: SYSTEM_ACTOR,
    });
  }
  if (plan) await setCustomerPlan(t.deps.prisma, { customerId: id, planKey: plan, reason: 'test' });
  return { id, externalId };
}

describe('authentication', () => {
  it('refuses missing, malformed, unknown and revoked keys with 401', async () => {
    for (const headers of [
      {},
      { authorization: BOOTSTRAP },
      { authorization: 'Basic abc' },
      { authorization: 'Bearer nope' },
    ]) {
      const res = await app.inject({ method: 'GET', url: '/api/v1/customers/x', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    const admin = { type: 'staff', id: 'admin-1', email: 'a@x.io', role: 'admin', ip: null } as const;
    const { apiKey, key } = await createApiKey(t.deps.prisma, { name: 'product backend', actor: admin });
    expect(key).toMatch(/^cdk_/);
    expect(apiKey).not.toHaveProperty('hash');
    const stored = await t.deps.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.hash).not.toContain(key);
    expect((await call('GET', '/api/v1/customers/x', undefined, key)).statusCode).toBe(404);
    // lastUsedAt is written in batches (once a second at most), never by the request itself.
    await until(
      async () => (await t.deps.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt,
      5000,
    );
    await revokeApiKey(t.deps.prisma, { id: apiKey.id, reason: 'rotated', actor: admin });
    // Revocation reaches the in-memory key cache through the change feed: within a second.
    await until(async () => (await call('GET', '/api/v1/customers/x', undefined, key)).statusCode === 401, 1000, 20);
    expect(
      await t.deps.prisma.auditLog.count({ where: { action: { in: ['api_key.create', 'api_key.revoke'] } } }),
    ).toBe(2);
  });
});

describe('customers', () => {
  it('PUT upserts and GET returns balance, status, plan and entitlements with sources', async () => {
    const first = await call('PUT', '/api/v1/customers/ext-42', { email: 'Ada@Example.com', name: 'Ada' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      externalId: 'ext-42',
      email: 'ada@example.com',
      name: 'Ada',
      status: 'active',
      balance: 0,
    });
    const second = await call('PUT', '/api/v1/customers/ext-42', { email: 'ada@new.example.com' });
    expect(second.json()).toMatchObject({ id: first.json().id, email: 'ada@new.example.com', name: 'Ada' });

    const res = await call('GET', '/api/v1/customers/ext-42');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      externalId: 'ext-42',
      balance: 0,
      available: 0,
      status: 'active',
      plan: { key: 'free', name: 'Free' },
    });
    expect(body.entitlements.chat).toEqual({ value: true, source: 'plan', creditCost: 1 });
    expect(body.entitlements.video_generation).toEqual({ value: false, source: 'none', creditCost: 100 });
    expect(body.entitlements.concurrent_jobs).toMatchObject({ value: 1, source: 'plan' });
  });

  it('GET balance lists the lots in draw-down order', async () => {
    const c = await customer(50);
    const res = await call('GET', `/api/v1/customers/${c.externalId}/balance`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      balance: 50,
      available: 50,
      lots: [
        { id: expect.any(String), source: 'promo', remaining: 50, expiresAt: null, costBasis: 'free', frozen: false },
      ],
    });
  });

  it('validates once at the edge, with field paths', async () => {
    const bad = await call('PUT', '/api/v1/customers/ext-1', { email: 'not-an-email', nickname: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation');
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['', 'email']);
    expect(bad.json().error.details.find((d: { path: string }) => d.path === '').message).toContain('nickname');

    const broken = await app.inject({
      method: 'PUT',
      url: '/api/v1/customers/ext-1',
      headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('validation');

    const empty = await call('PUT', '/api/v1/customers/ext-1');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('JSON');
  });

  it('404s unknown customers', async () => {
    for (const url of ['/api/v1/customers/nobody', '/api/v1/customers/nobody/balance']) {
      const res = await call('GET', url);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', message: expect.stringContaining('nobody') });
    }
  });
});

describe('access check', () => {
  it('answers allowed, not_entitled, insufficient_credits and blocked distinctly', async () => {
    const c = await customer(5);
    const check = (feature: string, customerId = c.externalId) =>
      call('POST', '/api/v1/access/check', { customerId, feature });
    expect((await check('chat')).json()).toEqual({ allowed: true });
    expect((await check('video_generation')).json()).toEqual({ allowed: false, reason: 'not_entitled' });
    await setCustomerPlan(t.deps.prisma, { customerId: c.id, planKey: 'pro', reason: 'upgrade' });
    expect((await check('video_generation')).json()).toEqual({ allowed: false, reason: 'insufficient_credits' });
    expect((await check('api_access')).json()).toEqual({ allowed: true });
    await t.deps.prisma.customer.update({ where: { id: c.id }, data: { status: 'blocked' } });
    expect((await check('chat')).json()).toEqual({ allowed: false, reason: 'blocked' });

    expect((await check('teleport')).statusCode).toBe(404);
    expect((await check('chat', 'nobody')).statusCode).toBe(404);
    const missing = await call('POST', '/api/v1/access/check', { customerId: c.externalId });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([{ path: 'feature', message: expect.any(String) }]);
  });
});

describe('usage', () => {
  it('charges the feature cost, keeps metadata, and replays a retry without charging again', async () => {
    const c = await customer(100, 'starter');
    const body = {
      customerId: c.externalId,
      feature: 'image_generation',
      idempotencyKey: `img-${c.externalId}`,
      metadata: {
        model: 'imagen-3',
        operation: 'generate',
        resultReference: 'https://cdn.example/img/1.png',
        clientIp: '203.0.113.9',
        userAgent: 'Mozilla/5.0',
      },
    };
    const first = await call('POST', '/api/v1/usage', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ usageId: expect.any(String), credits: 10, balance: 90, replayed: false });
    const again = await call('POST', '/api/v1/usage', body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const usage = await t.deps.prisma.usage.findUniqueOrThrow({ where: { id: first.json().usageId } });
    expect(usage.feature).toBe('image_generation');
    expect(usage.metadata).toMatchObject({
      model: 'imagen-3',
      clientIp: '203.0.113.9',
      resultReference: 'https://cdn.example/img/1.png',
    });
    const entry = await t.deps.prisma.ledgerEntry.findUniqueOrThrow({ where: { id: usage.entryId! } });
    expect(entry).toMatchObject({
      type: 'usage',
      credits: -10,
      reference: usage.id,
      referenceType: 'usage',
      actorType: 'service',
    });

    const explicit = await call('POST', '/api/v1/usage', {
      customerId: c.externalId,
      feature: 'chat',
      idempotencyKey: `chat-${c.externalId}`,
      credits: 3,
    });
    expect(explicit.json()).toMatchObject({ credits: 3, balance: 87 });
  });

  it('a "feature" in the metadata cannot overwrite the charged feature on the ledger entry', async () => {
    const c = await customer(100, 'starter');
    const res = await call('POST', '/api/v1/usage', {
      customerId: c.externalId,
      feature: 'image_generation',
      idempotencyKey: `meta-feature-${c.externalId}`,
      metadata: { feature: 'chat', model: 'imagen-3' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ credits: 10, balance: 90 });
    const usage = await t.deps.prisma.usage.findUniqueOrThrow({ where: { id: res.json().usageId } });
    expect(usage).toMatchObject({ feature: 'image_generation', metadata: { feature: 'chat', model: 'imagen-3' } });
    const entry = await t.deps.prisma.ledgerEntry.findUniqueOrThrow({ where: { id: usage.entryId! } });
    expect(entry.metadata).toMatchObject({ feature: 'image_generation', model: 'imagen-3' });
  });

  it('records free uses (no credit cost) without a ledger entry, and replays them', async () => {
    const c = await customer(0, 'pro');
    const body = {
      customerId: c.externalId,
      feature: 'api_access',
      idempotencyKey: `api-${c.externalId}`,
      metadata: { operation: 'list models' },
    };
    const first = await call('POST', '/api/v1/usage', body);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ usageId: expect.any(String), credits: 0, balance: 0, replayed: false });
    expect((await call('POST', '/api/v1/usage', body)).json()).toEqual({ ...first.json(), replayed: true });
    const usage = await t.deps.prisma.usage.findUniqueOrThrow({ where: { id: first.json().usageId } });
    expect(usage).toMatchObject({ credits: 0, entryId: null, metadata: { operation: 'list models' } });
    const reversed = await call('POST', `/api/v1/usage/${body.idempotencyKey}/reverse`, { reason: 'failed' });
    expect(reversed.json()).toMatchObject({ credits: 0, alreadyReversed: false });
  });

  it('409s the same key with a different payload, and charges nothing', async () => {
    const c = await customer(100);
    const key = `k-${c.externalId}`;
    expect(
      (await call('POST', '/api/v1/usage', { customerId: c.externalId, feature: 'chat', idempotencyKey: key }))
        .statusCode,
    ).toBe(200);
    for (const changed of [{ credits: 5 }, { metadata: { model: 'other' } }, { feature: 'concurrent_jobs' }]) {
      const res = await call('POST', '/api/v1/usage', {
        customerId: c.externalId,
        feature: 'chat',
        idempotencyKey: key,
        ...changed,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('conflict');
    }
    const other = await customer(100);
    expect(
      (await call('POST', '/api/v1/usage', { customerId: other.externalId, feature: 'chat', idempotencyKey: key }))
        .statusCode,
    ).toBe(409);
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(99);
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: other.id } })).balance).toBe(100);
  });

  it('402s insufficient credits and 403s blocked or not entitled, charging nothing', async () => {
    const c = await customer(5, 'pro');
    const use = (feature: string, idempotencyKey: string) =>
      call('POST', '/api/v1/usage', { customerId: c.externalId, feature, idempotencyKey });
    const poor = await use('video_generation', `v-${c.externalId}`);
    expect(poor.statusCode).toBe(402);
    expect(poor.json().error).toMatchObject({ code: 'insufficient_credits', details: { required: 100, available: 5 } });
    expect(await t.deps.prisma.usage.count({ where: { customerId: c.id } })).toBe(0);

    const free = await customer(500);
    const notEntitled = await call('POST', '/api/v1/usage', {
      customerId: free.externalId,
      feature: 'video_generation',
      idempotencyKey: `v-${free.externalId}`,
    });
    expect(notEntitled.statusCode).toBe(403);
    expect(notEntitled.json().error.code).toBe('not_entitled');

    await t.deps.prisma.customer.update({ where: { id: c.id }, data: { status: 'blocked' } });
    const blocked = await use('chat', `b-${c.externalId}`);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('blocked');
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(5);

    expect(
      (await call('POST', '/api/v1/usage', { customerId: 'nobody', feature: 'chat', idempotencyKey: 'nobody-1' }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', '/api/v1/usage', {
          customerId: free.externalId,
          feature: 'teleport',
          idempotencyKey: 'tp-1',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('400s bad bodies with every field path', async () => {
    const res = await call('POST', '/api/v1/usage', {
      customerId: '',
      feature: 'chat',
      idempotencyKey: 'has space',
      credits: -1,
      metadata: { model: 42 },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['credits', 'customerId', 'idempotencyKey', 'metadata.model'].sort());
  });

  it('the same idempotencyKey 20 times at once over HTTP: charged once, 19 replays', async () => {
    const c = await customer(100, 'starter');
    const body = { customerId: c.externalId, feature: 'image_generation', idempotencyKey: `burst-${c.externalId}` };
    const responses = await Promise.all(Array.from({ length: 20 }, () => call('POST', '/api/v1/usage', body)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    const bodies = responses.map((r) => r.json());
    expect(bodies.filter((b) => b.replayed === false)).toHaveLength(1);
    expect(bodies.filter((b) => b.replayed === true)).toHaveLength(19);
    expect(new Set(bodies.map((b) => b.usageId)).size).toBe(1);
    expect(bodies.every((b) => b.balance === 90)).toBe(true);
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(90);
    expect(await t.deps.prisma.usage.count({ where: { customerId: c.id } })).toBe(1);
  });

  it('50 concurrent uses of 60 credits on a balance of 100 over HTTP: one 200, 49 402s', async () => {
    const c = await customer(100);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call('POST', '/api/v1/usage', {
          customerId: c.externalId,
          feature: 'chat',
          credits: 60,
          idempotencyKey: `par-${c.externalId}-${i}`,
        }),
      ),
    );
    const codes = responses.map((r) => r.statusCode);
    expect(codes.filter((s) => s === 200)).toHaveLength(1);
    expect(codes.filter((s) => s === 402)).toHaveLength(49);
    expect((await t.deps.prisma.customer.findUniqueOrThrow({ where: { id: c.id } })).balance).toBe(40);
    expect(await verifyLedger(t.deps.prisma, c.id)).toEqual([]);
  });

  it('reverses a failed use once; the second reversal is a no-op that says so', async () => {
    const c = await customer(100, 'starter');
    const key = `rev-${c.externalId}`;
    await call('POST', '/api/v1/usage', { customerId: c.externalId, feature: 'image_generation', idempotencyKey: key });
    const first = await call('POST', `/api/v1/usage/${key}/reverse`, { reason: 'generation failed' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      usageId: expect.any(String),
      credits: 10,
      balance: 100,
      alreadyReversed: false,
      reversed: true,
    });
    const second = await call('POST', `/api/v1/usage/${key}/reverse`, { reason: 'retry' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ credits: 10, balance: 100, alreadyReversed: true });
    expect(await t.deps.prisma.ledgerEntry.count({ where: { customerId: c.id, type: 'reversal' } })).toBe(1);
    expect((await t.deps.prisma.usage.findUniqueOrThrow({ where: { idempotencyKey: key } })).status).toBe('reversed');

    expect((await call('POST', '/api/v1/usage/unknown-key/reverse', { reason: 'x' })).statusCode).toBe(404);
    const noReason = await call('POST', `/api/v1/usage/${key}/reverse`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toEqual([{ path: 'reason', message: expect.any(String) }]);
  });
});
