// The catalog admin and webhook monitor procedures through createCaller on a real database: the
// role matrix (every procedure of both routers is listed, and each is refused to the roles it
// does not name and to anonymous callers), and the shapes the screens rely on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import { importCatalog } from '../../modules/catalog/import-catalog.ts';
import { createContextInner } from '../context.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter } from '../router.ts';

type Role = 'support' | 'finance' | 'admin';
type Caller = ReturnType<typeof createCaller>;

let t: TestContext;
const createCaller = createCallerFactory(appRouter);
const as = (role: Role) =>
  createCaller(createContextInner(t.deps, { id: `u-${role}`, email: `${role}@x.io`, name: role, role }, '10.0.0.9'));
const anonymous = () => createCaller(createContextInner(t.deps, null));
const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
const EVENT = 'evt_admin_procs_1';
const firstVersion = async (c: Caller) => (await c.catalogAdmin.versions({ limit: 100 })).items.at(-1)!.id;

/** Every procedure of the two routers, who may call it, and a call with valid input. */
const MATRIX: Record<string, { roles: Role[]; call: (c: Caller) => Promise<unknown> }> = {
  'catalogAdmin.state': { roles: ['admin'], call: (c) => c.catalogAdmin.state() },
  'catalogAdmin.preview': { roles: ['admin'], call: (c) => c.catalogAdmin.preview({ catalog }) },
  'catalogAdmin.save': {
    roles: ['admin'],
    call: async (c) =>
      c.catalogAdmin.save({ catalog, reason: 'same again', baseVersion: (await c.catalogAdmin.state()).version }),
  },
  'catalogAdmin.versions': { roles: ['admin'], call: (c) => c.catalogAdmin.versions({}) },
  'catalogAdmin.version': {
    roles: ['admin'],
    call: async (c) => c.catalogAdmin.version({ versionId: await firstVersion(c) }),
  },
  'catalogAdmin.restore': {
    roles: ['admin'],
    call: async (c) => c.catalogAdmin.restore({ versionId: await firstVersion(c), reason: 'back to the first' }),
  },
  'catalogAdmin.unmappedPrices': { roles: ['admin'], call: (c) => c.catalogAdmin.unmappedPrices({}) },
  'catalogAdmin.priceToMap': {
    roles: ['admin'],
    call: (c) => c.catalogAdmin.priceToMap({ priceId: 'price_matrix_missing' }),
  },
  'catalogAdmin.previewMapPrice': {
    roles: ['admin'],
    call: (c) =>
      c.catalogAdmin.previewMapPrice({
        priceId: `price_matrix_${Math.random().toString(36).slice(2, 8)}`,
        target: { kind: 'new_pack', name: 'Matrix pack', credits: 10 },
      }),
  },
  'catalogAdmin.mapPrice': {
    roles: ['admin'],
    call: (c) =>
      c.catalogAdmin.mapPrice({
        priceId: `price_matrix_${Math.random().toString(36).slice(2, 8)}`,
        target: { kind: 'pack', key: 'pack_1000' },
        reason: 'new price',
      }),
  },
  'webhooksAdmin.events': { roles: ['support', 'finance', 'admin'], call: (c) => c.webhooksAdmin.events({}) },
  'webhooksAdmin.eventTypes': { roles: ['support', 'finance', 'admin'], call: (c) => c.webhooksAdmin.eventTypes() },
  'webhooksAdmin.failureGroups': {
    roles: ['support', 'finance', 'admin'],
    call: (c) => c.webhooksAdmin.failureGroups(),
  },
  'webhooksAdmin.dryRun': { roles: ['support', 'admin'], call: (c) => c.webhooksAdmin.dryRun({ eventIds: [EVENT] }) },
};

beforeAll(async () => {
  t = await createTestDeps();
  await importCatalog(t.deps.prisma, catalog, { type: 'system', id: 'system' });
  const customer = await t.deps.prisma.customer.create({
    data: { externalId: 'matrix-user', email: 'matrix@example.com', stripeCustomerId: 'cus_matrix' },
  });
  await t.deps.prisma.stripeEvent.createMany({
    data: [
      {
        id: EVENT,
        type: 'checkout.session.completed',
        created: new Date('2026-03-02T10:00:00Z'),
        livemode: false,
        // Failed before it was linked to anyone; its payload names the customer.
        payload: {
          id: EVENT,
          data: { object: { id: 'cs_matrix', object: 'checkout.session', metadata: { user_id: 'matrix-user' } } },
        },
        objectId: 'cs_matrix',
        status: 'failed',
        lastError: 'unknown price price_matrix_missing',
        cause: 'unknown_price',
        causeDetail: { priceId: 'price_matrix_missing' },
      },
      {
        id: 'evt_admin_procs_2',
        type: 'invoice.paid',
        created: new Date('2026-03-01T10:00:00Z'),
        livemode: false,
        payload: { id: 'evt_admin_procs_2', data: { object: { id: 'in_matrix', object: 'invoice' } } },
        objectId: 'in_matrix',
        customerId: customer.id,
        status: 'processed',
      },
      {
        id: 'evt_admin_procs_3',
        type: 'invoice.payment_failed',
        created: new Date('2026-02-01T10:00:00Z'),
        livemode: false,
        payload: { id: 'evt_admin_procs_3', data: { object: { id: 'in_matrix_2', object: 'invoice' } } },
        customerId: customer.id,
        status: 'deferred',
        lastError: 'subscription not seen yet',
      },
    ],
  });
});
afterAll(async () => {
  await t?.db.drop();
});

describe('role matrix', () => {
  it('lists every procedure of catalogAdmin and webhooksAdmin with the tier the router gives it', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { roles?: unknown } } }>;
    const ours = Object.keys(procedures).filter((p) => /^(catalogAdmin|webhooksAdmin)\./.test(p));
    expect(ours.sort()).toEqual(Object.keys(MATRIX).sort());
    for (const name of ours) {
      const roles = procedures[name]!._def.meta?.roles as string[];
      // The meta lists admin explicitly for every tier; compare without it.
      expect([...roles].filter((r) => r !== 'admin').sort(), name).toEqual(
        MATRIX[name]!.roles.filter((r) => r !== 'admin').sort(),
      );
    }
  });

  for (const [name, { roles, call }] of Object.entries(MATRIX)) {
    it(`${name}: allowed for ${roles.join(', ')}; refused to the others and to anonymous callers`, async () => {
      await expect(call(anonymous())).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      for (const role of ['support', 'finance', 'admin'] as const) {
        if (roles.includes(role)) await expect(call(as(role))).resolves.toBeDefined();
        else await expect(call(as(role))).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
    });
  }
});

describe('what the screens get', () => {
  it('catalog state carries the version a save must name; a stale save is a CONFLICT in words', async () => {
    const state = await as('admin').catalogAdmin.state();
    expect(state.catalog.plans.map((p) => p.key)).toEqual(['free', 'starter', 'pro', 'growth']);
    expect(state.catalog.rules.policies?.refundPolicy).toContain('Unused credits');
    const next = structuredClone(state.catalog);
    next.plans[1]!.monthlyCredits = 1111;
    const stale = await as('admin')
      .catalogAdmin.save({ catalog: next, reason: 'raise', baseVersion: '0' })
      .catch((e: unknown) => e);
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect((stale as Error).message).toContain('changed by someone else');
    const saved = await as('admin').catalogAdmin.save({ catalog: next, reason: 'raise', baseVersion: state.version });
    expect(saved).toMatchObject({ changed: true });
  });

  it('a preview with problems answers with them as data, not an error', async () => {
    const bad = structuredClone(catalog);
    bad.features[0].key = 'Not A Key';
    const preview = await as('admin').catalogAdmin.preview({ catalog: bad });
    expect(preview.ok).toBe(false);
    expect(preview.problems.map((p) => p.path)).toContain('features[0].key');
  });

  it('the event list filters by status, type prefix, customer handle and date, with a total', async () => {
    const support = as('support');
    expect((await support.webhooksAdmin.events({ status: 'failed' })).items.map((e) => e.id)).toContain(EVENT);
    const invoices = await support.webhooksAdmin.events({ type: 'invoice.' });
    expect(invoices.total).toBe(2);
    expect(invoices.items.map((e) => e.id)).toEqual(['evt_admin_procs_2', 'evt_admin_procs_3']);
    expect(invoices.items[0]!.customer).toMatchObject({ externalId: 'matrix-user' });
    for (const handle of ['matrix@example.com', 'matrix-user', 'cus_matrix']) {
      const byCustomer = await support.webhooksAdmin.events({ customer: handle });
      // Two linked events, and the failed one whose payload names the customer.
      expect(byCustomer.items.map((e) => e.id).sort(), handle).toEqual([
        EVENT,
        'evt_admin_procs_2',
        'evt_admin_procs_3',
      ]);
    }
    expect((await support.webhooksAdmin.events({ customer: 'matrix-user', status: 'failed' })).total).toBe(1);
    expect((await support.webhooksAdmin.events({ customer: 'nobody@example.com' })).total).toBe(0);
    const march = await support.webhooksAdmin.events({
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-03-02T00:00:00Z'),
    });
    expect(march.items.map((e) => e.id)).toEqual(['evt_admin_procs_2']);
    const first = await support.webhooksAdmin.events({ pageSize: 1 });
    const paged = await support.webhooksAdmin.events({ cursor: first.nextCursor, pageSize: 1 });
    expect(paged).toMatchObject({ pageSize: 1 });
    expect(paged.items).toHaveLength(1);
    expect(paged.items[0]!.id).not.toBe(first.items[0]!.id);
    expect(paged.total).toBeGreaterThanOrEqual(3);
  });

  it('failure groups name the cause and the unknown price; event types list what is stored', async () => {
    const groups = await as('finance').webhooksAdmin.failureGroups();
    expect(groups).toContainEqual(
      expect.objectContaining({
        status: 'failed',
        error: 'unknown price price_matrix_missing',
        unknownPrice: 'price_matrix_missing',
        eventIds: [EVENT],
        events: 1,
      }),
    );
    expect(groups).toContainEqual(expect.objectContaining({ status: 'deferred', unknownPrice: null, events: 1 }));
    expect(await as('support').webhooksAdmin.eventTypes()).toEqual([
      { type: 'checkout.session.completed', events: 1 },
      { type: 'invoice.paid', events: 1 },
      { type: 'invoice.payment_failed', events: 1 },
    ]);
  });
});
