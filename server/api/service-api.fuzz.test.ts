// Hostile input against the service API and the webhook route: whatever arrives, the answer is a
// 4xx with a clear JSON error, never a 500, and nothing is written.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';

const KEY = 'fuzz-bootstrap-service-key-0123456789abcdef';
let t: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY, STRIPE_WEBHOOK_SECRET: 'whsec_fuzz_secret' } });
  app = await buildApp(t.deps, { logger: false });
  await app.ready();
  // One real customer, so fuzzed ids sometimes hit an existing row.
  const res = await app.inject({
    method: 'PUT',
    url: '/api/v1/customers/fuzz-user',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    payload: { email: 'fuzz@example.com' },
  });
  expect(res.statusCode).toBe(200);
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

async function snapshot(): Promise<Record<string, number>> {
  const p = t.deps.prisma;
  return {
    customers: await p.customer.count(),
    entries: await p.ledgerEntry.count(),
    lots: await p.creditLot.count(),
    usages: await p.usage.count(),
    events: await p.stripeEvent.count(),
    deliveries: await p.webhookDelivery.count(),
  };
}

// Bodies that can never satisfy a contract: random JSON values, with hostile keys mixed in.
const hostileJson = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record({ __proto__: fc.anything(), constructor: fc.anything() }, { requiredKeys: [] }),
  fc.record({
    customerId: fc.anything(),
    feature: fc.anything(),
    credits: fc.oneof(fc.double(), fc.bigInt().map(String)),
  }),
  fc.record({
    customerId: fc.string(),
    feature: fc.string(),
    idempotencyKey: fc.constant(''),
    credits: fc.integer({ max: -1 }),
  }),
);
const rawBody = fc.oneof(
  hostileJson.map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return '{';
    }
  }),
  fc.string({ maxLength: 200 }),
  fc.constant('{"customerId":'),
  fc.constant('\u0000\u0001'),
);
const idSegment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.constant('..%2F..%2Fetc'),
  fc.constant('%00'),
  fc.constant('a'.repeat(600)),
);

const ENDPOINTS: Array<{ method: 'GET' | 'PUT' | 'POST'; url: (id: string) => string }> = [
  { method: 'PUT', url: (id) => `/api/v1/customers/${id}` },
  { method: 'GET', url: (id) => `/api/v1/customers/${id}` },
  { method: 'GET', url: (id) => `/api/v1/customers/${id}/balance` },
  { method: 'POST', url: () => '/api/v1/access/check' },
  { method: 'POST', url: () => '/api/v1/usage' },
  { method: 'POST', url: (id) => `/api/v1/usage/${id}/reverse` },
  { method: 'POST', url: () => '/api/v1/checkout-sessions' },
];

describe('service API under hostile input', () => {
  it('answers 4xx with a JSON error and writes nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS),
        idSegment,
        rawBody,
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (endpoint, id, body, contentType) => {
          const res = await app.inject({
            method: endpoint.method,
            url: endpoint.url(encodeURIComponent(id).slice(0, 700)),
            headers: { authorization: `Bearer ${KEY}`, 'content-type': contentType },
            payload: endpoint.method === 'GET' ? undefined : body,
          });
          expect(res.statusCode, `${endpoint.method} ${endpoint.url(id)} ${body}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode).toBeLessThan(500);
          const json = res.json() as { error?: { code?: unknown; message?: unknown } };
          expect(typeof json.error?.code).toBe('string');
          expect(typeof json.error?.message).toBe('string');
          expect(res.body).not.toMatch(/\n\s+at /); // no stack trace
        },
      ),
      { numRuns: 250 },
    );
    expect(await snapshot()).toEqual(before);
  }, 180_000);
});

describe('Stripe webhook route under hostile input', () => {
  it('answers 400 and stores nothing', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        rawBody,
        fc.oneof(
          fc.string(),
          fc.constant('t=1,v1=deadbeef'),
          fc.constant(`t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`),
        ),
        async (body, signature) => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/stripe/webhook',
            headers: { 'content-type': 'application/json', 'stripe-signature': signature },
            payload: body,
          });
          expect(res.statusCode).toBe(400);
          expect(res.body).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 150 },
    );
    const after = await snapshot();
    expect(after).toEqual(before);
  }, 120_000);
});
