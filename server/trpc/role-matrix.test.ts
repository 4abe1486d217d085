// Walks every tRPC procedure and every REST route with no session, each role and a bad API key,
// and checks the expected allow/deny. A procedure added without a tier (no `roles` meta) fails
// here, and so does one whose enforcement disagrees with the tier it declares.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import type { StaffRole } from '../auth.ts';
import { createContextInner } from './context.ts';
import { createCallerFactory, type Meta } from './init.ts';
import { appRouter } from './router.ts';

type Proc = { _def: { meta?: Meta; type: string } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Proc> }).procedures);
const ROLES: StaffRole[] = ['support', 'finance', 'admin'];

let t: TestContext;
let app: FastifyInstance;
const routes: Array<{ method: string; url: string }> = [];

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: 'role-matrix-bootstrap-key-0123456789' } });
  app = await buildApp(t.deps, {
    logger: false,
    onRoute: (r) => {
      for (const method of [r.method].flat()) routes.push({ method, url: r.url });
    },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

type Outcome = 'UNAUTHORIZED' | 'FORBIDDEN' | 'passed-the-gate';

async function call(path: string, role: StaffRole | null): Promise<Outcome> {
  const user = role ? { id: `matrix-${role}`, email: `${role}@matrix.test`, name: role, role } : null;
  const caller = createCallerFactory(appRouter)(createContextInner(t.deps, user, '10.9.9.9')) as unknown as Record<
    string,
    unknown
  >;
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input?: unknown,
  ) => Promise<unknown>;
  try {
    // Deliberately no input: allowed callers then stop at validation (BAD_REQUEST) or run harmlessly.
    await Promise.race([fn(undefined), new Promise((resolve) => setTimeout(resolve, 15_000))]);
    return 'passed-the-gate';
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? code : 'passed-the-gate';
  }
}

describe('tRPC role matrix', () => {
  it('every procedure declares a tier', () => {
    expect(procedures.length).toBeGreaterThan(10);
    const untiered = procedures.filter(([, p]) => p._def.meta?.roles === undefined).map(([path]) => path);
    expect(
      untiered,
      'procedures without a tier (use staffProcedure, supportProcedure, financeProcedure or adminProcedure)',
    ).toEqual([]);
  });

  it('enforces each declared tier for no session and every role', async () => {
    const mismatches: string[] = [];
    for (const [path, proc] of procedures) {
      const roles = proc._def.meta?.roles;
      if (roles === undefined) continue;
      const anonymous = await call(path, null);
      const expectedAnonymous: Outcome = roles === 'public' ? 'passed-the-gate' : 'UNAUTHORIZED';
      if (anonymous !== expectedAnonymous)
        mismatches.push(`${path} without a session: ${anonymous}, expected ${expectedAnonymous}`);
      for (const role of ROLES) {
        const allowed = roles === 'public' || role === 'admin' || roles.includes(role);
        const outcome = await call(path, role);
        const expected: Outcome = allowed ? 'passed-the-gate' : 'FORBIDDEN';
        if (outcome !== expected) mismatches.push(`${path} as ${role}: ${outcome}, expected ${expected}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('keeps the money and admin surfaces away from support', () => {
    const tierOf = (path: string) => procedures.find(([p]) => p === path)?.[1]._def.meta?.roles;
    for (const [path, proc] of procedures) {
      const roles = proc._def.meta?.roles;
      if (
        /^(refunds\.(confirm|approve|request)|staff\.|apiKeys\.|outbound\.|catalog\.import)/.test(path) &&
        roles !== undefined
      ) {
        expect(roles, `${path} must not be open to support`).not.toContain('support');
        expect(roles).not.toBe('public');
      }
    }
    expect(tierOf('staff.list')).toEqual(['admin']);
    expect(tierOf('outbound.createEndpoint')).toEqual(['admin']);
    expect(tierOf('outbound.resend')).toEqual(['admin']);
  });
});

describe('REST role matrix', () => {
  // The API reference is the one deliberately public service API route: it holds no data.
  const PUBLIC_SERVICE_ROUTES = ['/api/v1/openapi.json'];
  const serviceRoutes = () =>
    routes.filter(
      (r) =>
        r.url.startsWith('/api/v1/') &&
        !PUBLIC_SERVICE_ROUTES.includes(r.url) &&
        r.method !== 'HEAD' &&
        r.method !== 'OPTIONS',
    );
  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'matrix-id').replace(/\*/g, 'x');

  it('refuses every service API route without a key or with a bad key (401, JSON error)', async () => {
    expect(serviceRoutes().length).toBeGreaterThan(3);
    for (const route of serviceRoutes()) {
      for (const headers of [{}, { authorization: 'Bearer not-a-real-key' }, { authorization: 'Basic abc' }]) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { ...headers, 'content-type': 'application/json' },
          payload: route.method === 'GET' ? undefined : '{}',
        });
        expect(res.statusCode, `${route.method} ${route.url} with ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      }
    }
  });

  it('refuses staff routes outside tRPC without a session', async () => {
    const staffRoutes = routes.filter((r) => r.url.startsWith('/api/staff/') && r.method === 'GET');
    for (const route of staffRoutes) {
      const res = await app.inject({ method: 'GET', url: concrete(route.url) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('refuses unsigned Stripe webhooks', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/stripe/webhook',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(res.statusCode).toBe(400);
    expect(await t.deps.prisma.stripeEvent.count()).toBe(0);
  });
});
