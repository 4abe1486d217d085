// Attacks on staff authentication, replayed against the real Fastify app on PostgreSQL, over a
// real socket: app.inject (like any URL parser) would resolve "." and ".." before the app saw them.
// Each one worked before the fix: path variants around the login limiter, an encoded /trpc path
// around the CSRF check, better-auth's own admin endpoints, and 127.0.0.1 refused as "disabled".
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import { seedDemoStaff } from '../seed/demo-staff.ts';

let t: TestContext;
let app: FastifyInstance;
let port: number;

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): unknown;
}

/** One HTTP request with the path sent byte for byte as given. */
function send(
  method: string,
  path: string,
  opts: { ip?: string; headers?: Record<string, string>; payload?: unknown } = {},
): Promise<Answer> {
  const body =
    opts.payload === undefined
      ? undefined
      : typeof opts.payload === 'string'
        ? opts.payload
        : JSON.stringify(opts.payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: {
          ...(opts.ip ? { 'x-forwarded-for': opts.ip } : {}),
          ...(body !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
            : {}),
          ...opts.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  // The test client is the "proxy" on loopback: X-Forwarded-For then names each attacker's address.
  t = await createTestDeps({ env: { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'loopback' } });
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  app = await buildApp(t.deps, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

function signIn(email: string, password: string, ip: string, url = '/api/auth/sign-in/email', origin = ORIGIN) {
  return send('POST', url, { ip, headers: { origin }, payload: { email, password } });
}

async function adminCookie(ip: string): Promise<string> {
  const res = await signIn('admin@creditdesk.demo', 'admin-demo-pass', ip);
  expect(res.statusCode).toBe(200);
  return String(res.headers['set-cookie']).split(';')[0] ?? '';
}

const SIGN_IN_VARIANTS = [
  '/api/auth/%2e/sign-in/email',
  '/api/auth/%2E/sign-in/email',
  '/api/auth/./sign-in/email',
  '/api/auth/x/../sign-in/email',
  '/api/auth/x/%2e%2e/sign-in/email',
  '/api/auth/sign-in/./email',
  '/api/auth/sign%2din/email',
  '/api/auth/sign-in/%65mail',
  '/%61pi/auth/sign-in/email',
  '/api/auth/sign-in/email/',
  '/api/auth/sign-in/email/.',
  '/api/auth//sign-in/email',
  '/api/auth/sign-in%2Femail',
  '/api/auth\\sign-in\\email',
  '/api/auth/SIGN-IN/email',
];

describe('failed-login limiting cannot be bypassed by spelling the path differently', () => {
  it('refuses every variant while the normal path answers 429', async () => {
    const ip = '10.9.0.1';
    for (let i = 0; i < 3; i++) expect((await signIn('finance@creditdesk.demo', 'wrong', ip)).statusCode).toBe(401);
    expect((await signIn('finance@creditdesk.demo', 'finance-demo-pass', ip)).statusCode).toBe(429);
    for (const url of SIGN_IN_VARIANTS) {
      const res = await signIn('finance@creditdesk.demo', 'finance-demo-pass', ip, url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: expect.toBeOneOf([400, 404]) });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('never lets a variant count as a guess against the account', async () => {
    const ip = '10.9.0.2';
    for (const url of SIGN_IN_VARIANTS) {
      const res = await signIn('support@creditdesk.demo', 'wrong', ip, url);
      expect([400, 404]).toContain(res.statusCode);
    }
    // None of them reached better-auth, so none was a failed sign-in.
    expect((await signIn('support@creditdesk.demo', 'support-demo-pass', ip)).statusCode).toBe(200);
  });

  it("ignores a client's own copy of the header that carries its address to better-auth", async () => {
    const res = await send('POST', '/api/auth/sign-in/email', {
      ip: '10.9.0.3',
      headers: { origin: ORIGIN, 'x-creditdesk-client-ip': '203.0.113.9' },
      payload: { email: 'support@creditdesk.demo', password: 'support-demo-pass' },
    });
    expect(res.statusCode).toBe(200);
    const session = await t.deps.prisma.session.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(session.ipAddress).toBe('10.9.0.3');
  });

  it("better-auth's own rate limiter is on as a second layer (per IP, in the database)", async () => {
    const ip = '10.9.0.4';
    // Successful sign-ins never trip our failure limiter; better-auth's counts every request.
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++)
      statuses.push((await signIn('admin@creditdesk.demo', 'admin-demo-pass', ip)).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
    expect(await t.deps.prisma.rateLimit.count()).toBeGreaterThan(0);
  });
});

describe('the CSRF Origin check reads the same path the router serves', () => {
  it.each(['/%74rpc/staff.setRole', '/trpc/%73taff.setRole', '/trpc/./staff.setRole', '/x/../trpc/staff.setRole'])(
    'refuses a cross-site POST to %s',
    async (url) => {
      const cookie = await adminCookie('10.9.1.1');
      const support = await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'support@creditdesk.demo' } });
      const res = await send('POST', url, {
        headers: { origin: 'https://evil.example', cookie },
        payload: { json: { userId: support.id, role: 'admin' } },
      });
      expect([400, 403]).toContain(res.statusCode);
      expect((await t.deps.prisma.user.findUniqueOrThrow({ where: { id: support.id } })).role).toBe('support');
    },
  );

  it('refuses cross-site mutations on any path that is not the service API or the Stripe webhook', async () => {
    for (const url of ['/trpc/staff.setRole', '/api/auth/sign-out', '/anything/else']) {
      const res = await send('POST', url, { headers: { origin: 'https://evil.example' }, payload: {} });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 403 });
    }
  });
});

describe("better-auth's endpoints beyond sign-in/out are not exposed", () => {
  const HIDDEN = [
    ['POST', '/api/auth/admin/set-role'],
    ['POST', '/api/auth/admin/impersonate-user'],
    ['POST', '/api/auth/admin/create-user'],
    ['POST', '/api/auth/admin/ban-user'],
    ['POST', '/api/auth/admin/remove-user'],
    ['POST', '/api/auth/admin/set-user-password'],
    ['GET', '/api/auth/admin/list-users'],
    ['POST', '/api/auth/sign-up/email'],
    ['POST', '/api/auth/update-user'],
    ['POST', '/api/auth/change-password'],
    ['POST', '/api/auth/change-email'],
    ['POST', '/api/auth/delete-user'],
    ['GET', '/api/auth/list-sessions'],
    ['POST', '/api/auth/revoke-sessions'],
    ['POST', '/api/auth/request-password-reset'],
    ['GET', '/api/auth/ok'],
  ] as const;

  it('answers 404 to each of them, even for a signed-in admin, and changes nothing', async () => {
    const cookie = await adminCookie('10.9.2.1');
    const finance = await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'finance@creditdesk.demo' } });
    for (const [method, url] of HIDDEN) {
      const res = await send(method, url, {
        headers: { origin: ORIGIN, cookie },
        ...(method === 'POST' ? { payload: { userId: finance.id, role: 'admin', newPassword: 'x'.repeat(20) } } : {}),
      });
      expect({ url, status: res.statusCode }).toEqual({ url, status: 404 });
    }
    expect((await t.deps.prisma.user.findUniqueOrThrow({ where: { id: finance.id } })).role).toBe('finance');
    expect(await t.deps.prisma.session.count({ where: { impersonatedBy: { not: null } } })).toBe(0);
  });

  it('still signs in, reads the session and signs out', async () => {
    const cookie = await adminCookie('10.9.2.2');
    const session = await send('GET', '/api/auth/get-session', { headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { email: 'admin@creditdesk.demo' } });
    const out = await send('POST', '/api/auth/sign-out', { headers: { cookie, origin: ORIGIN }, payload: {} });
    expect(out.statusCode).toBe(200);
    const me = await send('GET', '/trpc/system.me', { headers: { cookie } });
    expect(JSON.stringify(me.json())).not.toContain('admin@creditdesk.demo');
  });
});

describe('loopback aliases of a localhost PUBLIC_URL (issue 16)', () => {
  it.each(['http://127.0.0.1:3000', 'http://[::1]:3000', 'http://localhost:3000'])(
    'signs in from %s',
    async (origin) => {
      const res = await signIn('support@creditdesk.demo', 'support-demo-pass', '10.9.3.1', undefined, origin);
      expect(res.statusCode).toBe(200);
    },
  );

  it('refuses another origin in words that name PUBLIC_URL, not as a disabled account', async () => {
    const res = await signIn(
      'support@creditdesk.demo',
      'support-demo-pass',
      '10.9.3.2',
      undefined,
      'http://192.168.1.5:3000',
    );
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'WRONG_ORIGIN',
      message: expect.stringContaining('Open Creditdesk at http://localhost:3000'),
    });
  });
});
