// Start-up never crashes on data: an operator imports their own catalog first, then starts the
// server on the otherwise empty database. The demo seed (written for the default catalog) is
// skipped with a log line instead of throwing, the operator's catalog is left as it is, a step
// that throws anyway is logged and skipped, and the real server process keeps serving.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { until } from '../../test/until.ts';
import { PROJECT_ROOT } from '../db/migrator.ts';
import { exportCatalog } from '../modules/catalog/get-catalog.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { demoSeedNeeded, seedDemo, type DemoSeedStepDef } from './seed-demo.ts';

const MINE = {
  features: [{ key: 'translate', name: 'Translate', type: 'boolean', creditCost: 2 }],
  plans: [
    {
      key: 'basic',
      name: 'Basic',
      default: true,
      monthlyCredits: 0,
      rollover: false,
      stripePriceIds: [],
      entitlements: { translate: true },
    },
    {
      key: 'team',
      name: 'Team',
      monthlyCredits: 3000,
      rollover: false,
      stripePriceIds: ['price_operator_team'],
      entitlements: { translate: true },
    },
  ],
  creditPacks: [],
};
const OPERATOR = { type: 'system', id: 'system' } as const;

describe('the demo seed on a catalog imported first', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestDeps();
    await importCatalog(t.deps.prisma, MINE, OPERATOR);
  });
  afterAll(async () => {
    await t?.db.drop();
  });

  it('skips what does not fit, says why, and leaves the catalog as the operator made it', async () => {
    expect(await demoSeedNeeded(t.deps)).toBe('empty');
    const before = await exportCatalog(t.deps.prisma);
    const report = await seedDemo(t.deps);
    expect(report.filter((r) => r.failed)).toEqual([]);
    expect(report.find((r) => r.step === 'demo customers and ledgers')?.skipped).toMatch(
      /the catalog is not the demo catalog \(it lacks feature chat/,
    );
    expect(report.find((r) => r.step === 'staff users')?.skipped).toBeUndefined();
    expect(await t.deps.prisma.customer.count()).toBe(0);
    expect(await exportCatalog(t.deps.prisma)).toEqual(before);
    // Done: the next start does not try again.
    expect(await demoSeedNeeded(t.deps)).toBeNull();
  });

  it('a step that throws is logged and skipped; the later steps still run; the seed resumes next time', async () => {
    const ran: string[] = [];
    const steps: DemoSeedStepDef[] = [
      {
        name: 'boom',
        phase: 'database',
        run: () =>
          Promise.reject(Object.assign(new Error('The Pro plan does not include chat'), { code: 'NOT_ENTITLED' })),
      },
      { name: 'after', phase: 'stripe', run: async () => void ran.push('after') },
    ];
    // A database of its own: the audit log (where the seed marks its progress) is append-only.
    const fresh = await createTestDeps();
    const report = await seedDemo(fresh.deps, { steps });
    expect(report).toEqual([
      { step: 'boom', ms: expect.any(Number), failed: 'The Pro plan does not include chat' },
      { step: 'after', ms: expect.any(Number) },
    ]);
    expect(ran).toEqual(['after']);
    expect(await demoSeedNeeded(fresh.deps)).toBe('empty');
    await fresh.deps.prisma.user.create({ data: { id: 'u1', email: 'someone@example.test', name: 'x' } });
    expect(await demoSeedNeeded(fresh.deps)).toBe('unfinished');
    await fresh.db.drop();
  });
});

describe('npm start after `npm run catalog:import -- mine.json`', () => {
  let t: TestContext;
  let server: ChildProcess | null = null;
  let output = '';
  const port = 3921;

  beforeAll(async () => {
    t = await createTestDeps();
    await importCatalog(t.deps.prisma, MINE, OPERATOR);
  });
  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server?.once('exit', r));
    }
    await t?.db.drop();
  });

  it('serves: /healthz answers 200 and the log says the demo data was skipped', async () => {
    server = spawn(process.execPath, [path.join(PROJECT_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'server/index.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'development',
        DATABASE_URL: t.db.url,
        HOST: '127.0.0.1',
        PORT: String(port),
        // Real (unreachable) test keys: the demo customers are then the database-only step that
        // used to throw at boot and stop the process.
        STRIPE_SECRET_KEY: 'sk_test_creditdesk_boot_test',
        STRIPE_WEBHOOK_SECRET: 'whsec_creditdesk_boot_test',
        SEED_DEMO: 'auto',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const healthy = await until(async () => {
      if (server?.exitCode !== null) throw new Error(`the server exited (${server?.exitCode}):\n${output}`);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
      return res?.status === 200 ? res : null;
    }, 60_000);
    expect(healthy.status).toBe(200);
    expect(output).toContain('the catalog is not the demo catalog');
    expect(server.exitCode).toBeNull();
  }, 90_000);
});
