// Bodies that used to end in a 500 deep inside (PostgreSQL refusing NUL, a lone surrogate, a
// recursive walk overflowing the stack) are a 400 at the edge, on every JSON route; and a tRPC
// batch cannot fan out into unbounded calls.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import { TRPC_MAX_BATCH } from '../contracts/limits.ts';
import { seedDemoStaff } from '../seed/demo-staff.ts';

const KEY = 'bad-bodies-service-key-0123456789';
let t: TestContext;
let app: FastifyInstance;
let cookie: string;

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY } });
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  app = await buildApp(t.deps, { logger: false });
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    payload: { email: 'support@creditdesk.demo', password: 'support-demo-pass' },
  });
  cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

const deep = (n: number) => '{"email":"a@b.io","metadata":' + '['.repeat(n) + ']'.repeat(n) + '}';
const BAD_BODIES: Array<[string, string]> = [
  ['a NUL character', '{"email":"nul@example.com","name":"Ada\\u0000Lovelace"}'],
  ['a lone high surrogate', '{"email":"sur@example.com","name":"Ada \\ud800"}'],
  ['a lone low surrogate in a key', '{"email":"sur2@example.com","\\udc00":"x"}'],
  ['100,000 levels of nesting', deep(100_000)],
  ['65 levels of nesting', deep(65)],
  ['a __proto__ key', '{"email":"p@example.com","__proto__":{"admin":true}}'],
];

describe('JSON bodies', () => {
  it.each(BAD_BODIES)('the service API answers 400 to %s', async (_name, payload) => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/customers/bad-body-user',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
  });

  it.each(BAD_BODIES)('tRPC answers 400 to %s', async (_name, payload) => {
    const res = await app.inject({
      method: 'POST',
      url: '/trpc/support.addNote',
      headers: { cookie, origin: 'http://localhost:3000', 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode).toBe(400);
  });

  it('still takes ordinary JSON, emoji (surrogate pairs) included', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/customers/emoji-user',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      payload: { email: 'emoji@example.com', name: 'Ada 🚀 "[{nested}]"' },
    });
    expect(res.statusCode).toBeLessThan(300);
    expect((await t.deps.prisma.customer.findFirstOrThrow({ where: { email: 'emoji@example.com' } })).name).toBe(
      'Ada 🚀 "[{nested}]"',
    );
  });
});

describe('tRPC batches', () => {
  const batch = (n: number) =>
    app.inject({
      method: 'GET',
      url: `/trpc/${Array.from({ length: n }, () => 'system.me').join(',')}?batch=1&input=${encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))),
      )}`,
      headers: { cookie },
    });

  it(`serves ${TRPC_MAX_BATCH} calls in one request and refuses more`, async () => {
    expect((await batch(TRPC_MAX_BATCH)).statusCode).toBe(200);
    expect((await batch(TRPC_MAX_BATCH + 1)).statusCode).toBe(400);
    expect((await batch(500)).statusCode).toBe(400);
  });
});
