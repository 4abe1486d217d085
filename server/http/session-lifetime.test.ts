// Sessions slide while staff work (12 h idle) but end 24 h after sign-in however busy they are:
// a stolen or forgotten cookie cannot be kept alive forever by using it. Replayed against the real
// app on PostgreSQL: a session that is still active (expiresAt ahead) but was created more than
// 24 h ago is refused by tRPC, by the export route and by get-session, and its row is deleted.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import { SESSION_ABSOLUTE_LIFETIME_MS } from '../auth.ts';
import { seedDemoStaff } from '../seed/demo-staff.ts';

let t: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestDeps();
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  app = await buildApp(t.deps, { logger: false });
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

async function signIn(): Promise<{ cookie: string; sessionId: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
    payload: { email: 'finance@creditdesk.demo', password: 'finance-demo-pass' },
  });
  expect(res.statusCode).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  const session = await t.deps.prisma.session.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
  return { cookie, sessionId: session.id };
}

/** Signed in `ageMs` ago, used a moment ago: better-auth's sliding expiry is still hours ahead. */
async function ageSession(sessionId: string, ageMs: number) {
  await t.deps.prisma.session.update({
    where: { id: sessionId },
    data: {
      createdAt: new Date(Date.now() - ageMs),
      updatedAt: new Date(),
      expiresAt: new Date(Date.now() + 11 * 3600_000),
    },
  });
}

const me = (cookie: string) => app.inject({ method: 'GET', url: '/trpc/system.me', headers: { cookie } });

describe('absolute session lifetime (24 h)', () => {
  it('is 24 hours', () => {
    expect(SESSION_ABSOLUTE_LIFETIME_MS).toBe(24 * 3600_000);
  });

  it('keeps an active session signed in 23 h ago', async () => {
    const { cookie, sessionId } = await signIn();
    await ageSession(sessionId, 23 * 3600_000);
    const res = await me(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('finance@creditdesk.demo');
  });

  it('refuses an active session signed in more than 24 h ago, and deletes it', async () => {
    const { cookie, sessionId } = await signIn();
    await ageSession(sessionId, SESSION_ABSOLUTE_LIFETIME_MS + 60_000);
    const res = await me(cookie);
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain('finance@creditdesk.demo');
    expect(await t.deps.prisma.session.findUnique({ where: { id: sessionId } })).toBeNull();
  });

  it('get-session does not report a session past its lifetime either', async () => {
    const { cookie, sessionId } = await signIn();
    await ageSession(sessionId, SESSION_ABSOLUTE_LIFETIME_MS + 60_000);
    const res = await app.inject({ method: 'GET', url: '/api/auth/get-session', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('finance@creditdesk.demo');
    expect(await t.deps.prisma.session.findUnique({ where: { id: sessionId } })).toBeNull();
  });

  it('the CSV export route refuses it too', async () => {
    const { cookie, sessionId } = await signIn();
    await ageSession(sessionId, SESSION_ABSOLUTE_LIFETIME_MS + 60_000);
    const res = await app.inject({
      method: 'GET',
      url: '/api/staff/exports/ledger.csv?from=2026-01-01&to=2026-01-31',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(401);
  });
});
