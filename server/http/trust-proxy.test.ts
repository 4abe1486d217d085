// TRUST_PROXY=true used to trust every X-Forwarded-For hop, so a client behind our proxy named its
// own address (the left-most entry) and walked around the login limiter and the audit IP. Now
// `true` means one proxy, and a hop count or the proxies' addresses can be given.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { buildApp } from '../app.ts';
import { parseEnv } from '../env.ts';
import { seedDemoStaff } from '../seed/demo-staff.ts';

let t: TestContext | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await t?.db.drop();
});

async function start(trustProxy: string) {
  t = await createTestDeps({ env: { LOGIN_MAX_FAILURES: '3', TRUST_PROXY: trustProxy } });
  await seedDemoStaff(t.deps.prisma, t.deps.auth);
  app = await buildApp(t.deps, { logger: false });
  return app;
}

/** A wrong password from the real client 198.51.100.7, behind a proxy at 10.0.0.2 that appends it. */
function guess(a: FastifyInstance, spoofed: string) {
  return a.inject({
    method: 'POST',
    url: '/api/auth/sign-in/email',
    remoteAddress: '10.0.0.2',
    headers: {
      'content-type': 'application/json',
      origin: 'http://localhost:3000',
      'x-forwarded-for': `${spoofed}, 198.51.100.7`,
    },
    payload: { email: 'admin@creditdesk.demo', password: 'wrong' },
  });
}

describe('TRUST_PROXY', () => {
  it.each(['true', '1', '10.0.0.2', '10.0.0.0/8'])(
    'with %s, a client rotating its own X-Forwarded-For entry is still limited',
    async (value) => {
      const a = await start(value);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await guess(a, `203.0.113.${i}`)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    },
  );

  it('parses false, hop counts and address lists, and names a bad value', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
      'loopback',
    ]);
    expect(parseEnv({ TRUST_PROXY: '::1,fd00::/8' }).TRUST_PROXY).toEqual(['::1', 'fd00::/8']);
    for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.com'])
      expect(() => parseEnv({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be false, a number of proxies/);
  });
});
