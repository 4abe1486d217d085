import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../test/deps.ts';
import { buildApp } from './app.ts';
import { createContextInner } from './trpc/context.ts';
import { createCallerFactory } from './trpc/init.ts';
import { appRouter } from './trpc/router.ts';
import { DEMO_STAFF, seedDemoStaff } from './seed/demo-staff.ts';

let t: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDeps({ env: { LOGIN_MAX_FAILURES: '3' } });
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  app = await buildApp(t.deps, { logger: false });
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

async function signIn(email: string, password: string, ip = '10.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    remoteAddress: ip,
    payload: { email, password },
  });
}

describe('HTTP app', () => {
  it('GET /healthz checks the database', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('signs in each demo role and resolves the session through tRPC', async () => {
    for (const staff of DEMO_STAFF) {
      const res = await signIn(staff.email, staff.password);
      expect(res.statusCode).toBe(200);
      const cookie = res.headers['set-cookie'];
      const header = Array.isArray(cookie) ? cookie.join('; ') : String(cookie);
      expect(header).toMatch(/HttpOnly/i);
      expect(header).toMatch(/SameSite=Lax/i);
      const me = await app.inject({
        method: 'GET',
        url: '/trpc/system.me',
        headers: { cookie: header.split(';')[0] ?? '' },
      });
      expect(me.statusCode).toBe(200);
      expect(JSON.stringify(me.json())).toContain(staff.role);
    }
  });

  it('rate-limits failed sign-ins but not successful ones', async () => {
    for (let i = 0; i < 3; i++)
      expect((await signIn('finance@creditdesk.demo', 'wrong-password', '10.0.0.9')).statusCode).toBe(401);
    const limited = await signIn('finance@creditdesk.demo', 'finance-demo-pass', '10.0.0.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeTruthy();
    // Another address is unaffected.
    expect((await signIn('finance@creditdesk.demo', 'finance-demo-pass', '10.0.0.10')).statusCode).toBe(200);
  });

  it('refuses cross-origin tRPC mutations', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/trpc/system.me',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: {},
    });
    expect(res.statusCode).toBe(403);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('procedure tiers', () => {
  const createCaller = createCallerFactory(appRouter);
  const as = (role: 'support' | 'finance' | 'admin' | null) =>
    createCaller(
      createContextInner(t.deps, role ? { id: `u-${role}`, email: `${role}@x.io`, name: role, role } : null),
    );

  it('refuses an admin-only procedure to support and finance with FORBIDDEN', async () => {
    await expect(as('support').staff.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('finance').staff.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as(null).staff.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const staff = await as('admin').staff.list();
    expect(staff.map((s) => s.email)).toEqual(expect.arrayContaining(DEMO_STAFF.map((s) => s.email)));
  });

  it('also refuses it over HTTP with a real support session', async () => {
    const res = await signIn('support@creditdesk.demo', 'support-demo-pass', '10.0.0.2');
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const list = await app.inject({ method: 'GET', url: '/trpc/staff.list', headers: { cookie } });
    expect(list.statusCode).toBe(403);
    expect(list.body).not.toContain('at '); // no stack trace
  });

  // Issue 16 (errors in words): /customers/x showed zod's JSON dump of the refused input.
  it('says what is wrong with an input in words, not as a JSON dump of the schema check', async () => {
    const res = await signIn('support@creditdesk.demo', 'support-demo-pass', '10.0.0.3');
    const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
    const input = encodeURIComponent(JSON.stringify({ json: { customerId: 'x' } }));
    const got = await app.inject({ method: 'GET', url: `/trpc/support.overview?input=${input}`, headers: { cookie } });
    expect(got.statusCode).toBe(400);
    const error = (got.json() as { error: { json: { message: string; data: { fieldErrors: unknown } } } }).error.json;
    expect(error.message).toBe('customerId: Not a customer id');
    expect(error.data.fieldErrors).toEqual({ customerId: ['Not a customer id'] });
  });
});
