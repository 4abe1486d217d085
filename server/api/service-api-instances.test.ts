// Two server instances on one database (two Prisma clients, two apps, as two processes would be):
// what one instance keeps in memory (API keys, the catalog) follows a change made through the
// other within a second. Polled, never a fixed sleep.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../test/deps.ts';
import { until } from '../../test/until.ts';
import { buildApp } from '../app.ts';
import { createPrisma, type Db } from '../db/client.ts';
import { PROJECT_ROOT } from '../db/migrator.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { createApiKey } from '../modules/api-keys/create-api-key.ts';
import { revokeApiKey } from '../modules/api-keys/revoke-api-key.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { saveCatalog } from '../modules/catalog/save-catalog.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';

const KEY = 'bootstrap-service-key-instances-0123456789';
const admin = { type: 'staff', id: 'admin-1', email: 'a@x.io', role: 'admin', ip: null } as const;
const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8')) as {
  plans: Array<{ key: string; entitlements: Record<string, unknown> }>;
};
let t: TestContext;
let secondDb: Db;
let a: FastifyInstance;
let b: FastifyInstance;

beforeAll(async () => {
  t = await createTestDeps({ env: { SERVICE_API_KEY: KEY } });
  await importCatalog(t.deps.prisma, catalog, SYSTEM_ACTOR);
  secondDb = createPrisma(t.db.url, { max: 5 });
  a = await buildApp(t.deps, { logger: false });
  b = await buildApp({ ...t.deps, prisma: secondDb }, { logger: false });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await secondDb?.$disconnect();
  await t?.db.drop();
});

function call(app: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, key: string, payload?: object) {
  return app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
}

describe.runIf(!!process.env.TEST_DATABASE_URL)('two instances on one database', () => {
  it('a key revoked through one instance is refused by the other within a second', async () => {
    const { key, apiKey } = await createApiKey(t.deps.prisma, { name: 'backend', actor: admin });
    // Both instances have used (and so cached) the key.
    for (let i = 0; i < 3; i++) {
      expect((await call(a, 'GET', '/api/v1/customers/nobody', key)).statusCode).toBe(404);
      expect((await call(b, 'GET', '/api/v1/customers/nobody', key)).statusCode).toBe(404);
    }
    await revokeApiKey(t.deps.prisma, { id: apiKey.id, reason: 'leaked', actor: admin });
    await until(async () => (await call(b, 'GET', '/api/v1/customers/nobody', key)).statusCode === 401, 1000, 10);
    await until(async () => (await call(a, 'GET', '/api/v1/customers/nobody', key)).statusCode === 401, 1000, 10);
  });

  it('a catalog saved through one instance decides the other instance’s usage within a second', async () => {
    const put = await call(a, 'PUT', '/api/v1/customers/inst-1', KEY, { email: 'inst1@example.com' });
    expect(put.statusCode).toBe(200);
    await grantCredits(t.deps.prisma, {
      customerId: put.json().id as string,
      credits: 100,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'inst-1-seed',
      reason: 'test',
      actor: SYSTEM_ACTOR,
    });
    let n = 0;
    const use = () =>
      call(b, 'POST', '/api/v1/usage', KEY, {
        customerId: 'inst-1',
        feature: 'image_generation',
        idempotencyKey: `inst-1-${++n}`,
      });
    // The default (free) plan does not include image generation: instance b says so (and caches the catalog).
    for (let i = 0; i < 3; i++) expect((await use()).json().error.code).toBe('not_entitled');
    const edited = structuredClone(catalog);
    const free = edited.plans.find((p) => p.key === 'free')!;
    free.entitlements = { ...free.entitlements, image_generation: true };
    await saveCatalog(t.deps.prisma, {
      catalog: edited,
      reason: 'free plan gets images',
      source: 'editor',
      actor: admin,
    });
    const charged = await until(
      async () => {
        const res = await use();
        return res.statusCode === 200 ? res.json() : null;
      },
      1000,
      10,
    );
    expect(charged).toMatchObject({ credits: 10, balance: 90, replayed: false });
  });
});
