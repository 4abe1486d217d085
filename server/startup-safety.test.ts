// The server refuses to start reachable-by-others while demo staff or the public AUTH_SECRET are
// in place (real processes, real PostgreSQL), and `npm run staff:create` makes the first admin.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../test/deps.ts';
import { seedDemoStaff } from './seed/demo-staff.ts';
import { parseEnv } from './env.ts';
import { unsafeStartMessage } from './startup-safety.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(() => t?.db.drop());

const SECRET = 'a-real-secret-of-at-least-32-characters-0123';

function run(args: string[], env: Record<string, string>, input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    input,
    timeout: 90_000,
  });
}

describe('refusing to start while exposed', () => {
  it('names each way a deployment is reachable, and stays quiet for a local demo', () => {
    const base = { AUTH_SECRET: undefined as string | undefined };
    expect(unsafeStartMessage(parseEnv({}), true)).toBeNull();
    for (const vars of [
      { HOST: '0.0.0.0' },
      { PUBLIC_URL: 'https://desk.example.com' },
      { STRIPE_SECRET_KEY: 'sk_live_x' },
    ]) {
      expect(unsafeStartMessage(parseEnv({ ...vars, ...base }), false)).toMatch(
        /AUTH_SECRET is the public development value/,
      );
      expect(unsafeStartMessage(parseEnv({ ...vars, AUTH_SECRET: SECRET }), true)).toMatch(/demo staff/);
      expect(unsafeStartMessage(parseEnv({ ...vars, AUTH_SECRET: SECRET }), false)).toBeNull();
    }
    expect(unsafeStartMessage(parseEnv({ HOST: '::1' }), true)).toBeNull();
  });

  it('exits 1 with HOST=0.0.0.0 and the default AUTH_SECRET', () => {
    const result = run(['server/index.ts'], { HOST: '0.0.0.0', PORT: '3497', DATABASE_URL: t.db.url });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Refusing to start');
    expect(result.stderr).toContain('HOST is 0.0.0.0');
    expect(result.stderr).toContain('AUTH_SECRET');
  });

  it('exits 1 with an https PUBLIC_URL while demo staff exist', async () => {
    await seedDemoStaff(t.deps.prisma, t.deps.auth);
    const result = run(['server/index.ts'], {
      PUBLIC_URL: 'https://desk.example.com',
      PORT: '3498',
      AUTH_SECRET: SECRET,
      DATABASE_URL: t.db.url,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PUBLIC_URL is https');
    expect(result.stderr).toContain('npm run staff:create');
  });
});

describe('npm run staff:create', () => {
  it('creates an admin from a password on stdin, audited, who can sign in', async () => {
    const result = run(
      ['scripts/staff-create.ts', '--email', 'Owner@Example.com', '--role', 'admin'],
      { DATABASE_URL: t.db.url },
      'a strong pass phrase\n',
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const user = await t.deps.prisma.user.findUniqueOrThrow({ where: { email: 'owner@example.com' } });
    expect(user.role).toBe('admin');
    expect(await t.deps.prisma.auditLog.count({ where: { action: 'staff.create', targetId: user.id } })).toBe(1);
    const signIn = await t.deps.auth.api.signInEmail({
      body: { email: 'owner@example.com', password: 'a strong pass phrase' },
    });
    expect(signIn.user.id).toBe(user.id);
  });

  it('refuses a short or common password and a bad role, creating nothing', async () => {
    for (const [args, password, message] of [
      [['--email', 'x@example.com', '--role', 'admin'], 'short', /At least 12 characters/],
      [['--email', 'x@example.com', '--role', 'admin'], 'password1234', /too common/],
      [['--email', 'x@example.com', '--role', 'root'], 'a strong pass phrase', /role/],
    ] as const) {
      const result = run(['scripts/staff-create.ts', ...args], { DATABASE_URL: t.db.url }, password);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(message);
    }
    expect(await t.deps.prisma.user.count({ where: { email: 'x@example.com' } })).toBe(0);
  });
});
