// The production shape end to end: `npm run build`'s output (built here first when dist/ is missing
// or stale, scripts/ensure-built.mjs) started as `npm start` starts it (package.json's `start`
// flags, `node dist/server/index.js`, NODE_ENV=production, a Stripe key, no tsx) on a fresh test
// database. It answers /healthz, /livez, the service API, a staff sign-in (better-auth), a Stripe webhook (a bad signature,
// refused by the SDK's verifier) and the SPA shell and its script, then exits 0 on SIGTERM. Every
// file it loaded is in dist/ or in a package `npm ci --omit=dev` installs, so a bundle that reaches
// for a missing external, a devDependency or a source file fails here, not in a deploy.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sparePort } from '../bench/lib/common.ts';
import { productionArgv, startServer, type ServerProcess } from '../bench/lib/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { PROJECT_ROOT } from './db/migrator.ts';

const base = process.env.TEST_DATABASE_URL;
const SERVICE_API_KEY = 'production-build-test-key-0123456789';
const scratch = mkdtempSync(path.join(os.tmpdir(), 'creditdesk-production-'));
const loadedList = path.join(scratch, 'loaded-files.txt');
let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  if (!base) return;
  db = await createTestDatabase();
  server = await startServer({
    databaseUrl: db.url,
    port: await sparePort(),
    production: true,
    bootSeconds: 60,
    env: {
      SERVICE_API_KEY,
      LOG_LEVEL: 'warn',
      STRIPE_WEBHOOK_SECRET: 'whsec_production_build_test',
      NODE_OPTIONS: `--import=${path.join(PROJECT_ROOT, 'test/record-loaded-files.mjs')}`,
      RECORD_LOADED_FILES: loadedList,
    },
  });
}, 240_000); // a cold build (Prisma client, Vite, esbuild) on a busy 2-core machine

afterAll(async () => {
  await server?.stop();
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

it.skipIf(!base)('runs the built bundle with plain node, as npm start does', () => {
  expect(server.child.spawnargs.slice(1)).toEqual(productionArgv());
  expect(productionArgv().at(-1)).toBe('dist/server/index.js');
});

it.skipIf(!base)('answers /healthz and /livez', async () => {
  const health = await fetch(`${server.base}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', database: 'ok', stripe: 'test' });
  const live = await fetch(`${server.base}/livez`);
  expect(live.status).toBe(200);
  expect(await live.json()).toEqual({ status: 'ok' });
});

it.skipIf(!base)('serves the service API against the database', async () => {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_API_KEY}` };
  const put = await fetch(`${server.base}/api/v1/customers/prod_build_1`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ email: 'prod-build@example.com', name: 'Built' }),
  });
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({ externalId: 'prod_build_1', email: 'prod-build@example.com', balance: 0 });
  const balance = await fetch(`${server.base}/api/v1/customers/prod_build_1/balance`, { headers });
  expect(balance.status).toBe(200);
  expect(await balance.json()).toMatchObject({ balance: 0, available: 0, lots: [] });
  expect(await db.prisma.customer.count({ where: { externalId: 'prod_build_1' } })).toBe(1);
  const anonymous = await fetch(`${server.base}/api/v1/customers/prod_build_1`);
  expect(anonymous.status).toBe(401);
  await anonymous.body?.cancel();
});

it.skipIf(!base)('runs staff sign-in through better-auth (a wrong password is refused)', async () => {
  const res = await fetch(`${server.base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.base },
    body: JSON.stringify({ email: 'nobody@production.example', password: 'wrong-password-1' }),
  });
  expect(res.status).toBe(401);
  await res.body?.cancel();
});

it.skipIf(!base)('verifies Stripe webhook signatures (a forged delivery is refused)', async () => {
  const res = await fetch(`${server.base}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=00` },
    body: JSON.stringify({ id: 'evt_forged', object: 'event', type: 'charge.succeeded' }),
  });
  expect(res.status).toBe(400);
  await res.body?.cancel();
});

it.skipIf(!base)('serves the SPA shell and its script from dist/web', async () => {
  const page = await fetch(`${server.base}/customers`, { headers: { accept: 'text/html' } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  expect(html).toContain('<div id="root"></div>');
  const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const js = await fetch(`${server.base}${script}`);
  expect(js.status).toBe(200);
  expect(js.headers.get('content-type')).toContain('javascript');
  // Read to the end: an unread body keeps its request in flight, and the shutdown below drains it.
  expect((await js.text()).length).toBeGreaterThan(1000);
});

it.skipIf(!base)(
  'exits 0 on SIGTERM, having loaded only dist/ and runtime dependencies',
  async () => {
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000); // nothing in flight: no drain to wait for

    const files = readFileSync(loadedList, 'utf8')
      .trim()
      .split('\n')
      .map((url) => fileURLToPath(url));
    const inProject = files
      .filter((f) => f.startsWith(PROJECT_ROOT + path.sep))
      .map((f) => path.relative(PROJECT_ROOT, f));
    expect(inProject).toContain('dist/server/index.js');
    // Our code runs from the bundle only: no TypeScript source, no tsx, nothing outside dist/ and node_modules.
    expect(inProject.filter((f) => !f.startsWith('dist/') && !f.startsWith('node_modules/'))).toEqual([]);
    // Packages from node_modules: each one in the tree of `dependencies` (the lockfile marks the rest
    // dev, or devOptional when only devDependencies and optional dependencies reach them).
    const lock = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const packages = new Set(
      inProject
        .filter((f) => f.startsWith('node_modules/'))
        .map((f) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(f)![1]!)
        .filter((dir) => existsSync(path.join(PROJECT_ROOT, dir, 'package.json'))),
    );
    const devOnly = (dir: string) => !lock.packages[dir] || lock.packages[dir].dev || lock.packages[dir].devOptional;
    expect([...packages].filter(devOnly)).toEqual([]);
    expect([...packages].some((dir) => /\/(tsx|vite|esbuild|typescript)$/.test(dir))).toBe(false);
  },
  30_000,
);
