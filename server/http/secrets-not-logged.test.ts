// Secrets never reach the log: API keys, session cookies, passwords, Stripe signatures.
import { PassThrough } from 'node:stream';
import { signedHeader } from '../../test/stripe/builders.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import { seedDemoStaff } from '../seed/demo-staff.ts';

const KEY = 'secret-service-key-should-never-be-logged-42';
const WHSEC = 'whsec_never_logged_secret';
let t: TestContext;
let logs = '';

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC, LOG_LEVEL: 'trace' } });
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
});
afterAll(() => t?.db.drop());

describe('logs', () => {
  it('never contain API keys, cookies, passwords or webhook signatures', async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    const app = await buildApp(t.deps, { logStream: stream });
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'content-type': 'application/json' },
      payload: { email: 'admin@creditdesk.demo', password: 'admin-demo-pass' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0] ?? '';
    const token = cookie.split('=')[1] ?? '';
    expect(token.length).toBeGreaterThan(10);
    await app.inject({ method: 'GET', url: '/trpc/system.me', headers: { cookie } });
    await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      headers: { 'content-type': 'application/json' },
      payload: { email: 'admin@creditdesk.demo', password: 'wrong-password-xyz' },
    });
    await app.inject({ method: 'GET', url: '/api/v1/customers/nobody', headers: { authorization: `Bearer ${KEY}` } });
    // Customer emails in URLs: a tRPC search and a service API path, plain and percent-encoded.
    const search = encodeURIComponent(JSON.stringify({ json: { query: 'ada.lovelace@example.com' } }));
    await app.inject({ method: 'GET', url: `/trpc/support.search?input=${search}`, headers: { cookie } });
    await app.inject({
      method: 'GET',
      url: '/api/v1/customers/grace.hopper@example.com',
      headers: { authorization: `Bearer ${KEY}` },
    });
    const payload = JSON.stringify({ id: 'evt_log_test', object: 'event', type: 'ping', data: { object: {} } });
    const signature = signedHeader(payload, WHSEC);
    await app.inject({
      method: 'POST',
      url: '/api/stripe/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      payload,
    });
    await app.close();

    expect(logs).toContain('incoming request'); // the log was captured at all
    for (const secret of [
      KEY,
      token,
      'admin-demo-pass',
      'wrong-password-xyz',
      WHSEC,
      signature.split('v1=')[1] ?? 'unreachable',
      'ada.lovelace',
      'grace.hopper',
    ]) {
      expect(logs, `log contains a secret`).not.toContain(secret);
    }
  });
});
