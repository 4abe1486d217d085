// A catalog save tells the product about every customer whose effective entitlements it changed:
// one entitlement event and one entitlements.changed outbound event per such customer and save,
// with the values before and after; customers it does not change (here: one whose override already
// gave what the plan now adds) get nothing. On real PostgreSQL, through the admin's save.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import type { Actor } from '../../lib/actor.ts';
import { importCatalog } from '../catalog/import-catalog.ts';
import { latestCatalogVersion } from '../catalog/list-catalog-versions.ts';
import { saveCatalog } from '../catalog/save-catalog.ts';

const admin: Actor = { type: 'staff', id: 'admin-1', email: 'admin@example.com', role: 'admin', ip: null };
const defaultCatalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
type Json = typeof defaultCatalog;
const plan = (c: Json, key: string) => c.plans.find((p: { key: string }) => p.key === key);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await importCatalog(db.prisma, defaultCatalog, admin);
});
afterAll(async () => {
  await db?.drop();
});

const changedEvents = () =>
  db.prisma.outboundEvent.findMany({ where: { type: 'entitlements.changed' }, orderBy: { createdAt: 'asc' } });

describe('a catalog save reports the entitlements it changed', () => {
  it('sends entitlements.changed once for each of the 2 customers of 3 whose entitlements moved', async () => {
    const onStarter = await db.prisma.customer.create({
      data: { externalId: 'cat_starter', email: 'cat_starter@example.com', planKey: 'starter' },
    });
    const onDefault = await db.prisma.customer.create({
      data: { externalId: 'cat_default', email: 'cat_default@example.com', planKey: null },
    });
    // Also on Starter, but an override already gives video generation: the save changes nothing for them.
    const covered = await db.prisma.customer.create({
      data: { externalId: 'cat_covered', email: 'cat_covered@example.com', planKey: 'starter' },
    });
    await db.prisma.customerOverride.create({
      data: { customerId: covered.id, feature: 'video_generation', value: true, reason: 'beta', createdBy: 'admin-1' },
    });
    expect(await changedEvents()).toEqual([]);

    const edited = structuredClone(defaultCatalog);
    plan(edited, 'starter').entitlements.video_generation = true;
    plan(edited, 'free').entitlements.concurrent_jobs = 2;
    const base = await latestCatalogVersion(db.prisma);
    const saved = await saveCatalog(db.prisma, {
      catalog: edited,
      reason: 'video for Starter, 2 jobs on Free',
      baseVersion: base,
      source: 'editor',
      actor: admin,
    });

    const events = await changedEvents();
    expect(events.map((e) => e.customerId).sort()).toEqual([onStarter.id, onDefault.id].sort());
    const reason = 'Catalog changed: video for Starter, 2 jobs on Free (plans: +0 ~2 -0)';
    const byCustomer = new Map(events.map((e) => [e.customerId, e.payload]));
    expect(byCustomer.get(onStarter.id)).toEqual({
      externalId: 'cat_starter',
      kind: 'catalog_changed',
      reason,
      reference: saved.version,
      planKey: 'starter',
      status: null,
      entitlements: {
        chat: true,
        image_generation: true,
        video_generation: true,
        api_access: false,
        priority_queue: false,
        concurrent_jobs: 2,
      },
      previous: {
        chat: true,
        image_generation: true,
        video_generation: false,
        api_access: false,
        priority_queue: false,
        concurrent_jobs: 2,
      },
    });
    expect(byCustomer.get(onDefault.id)).toMatchObject({
      externalId: 'cat_default',
      kind: 'catalog_changed',
      planKey: 'free',
      entitlements: { chat: true, concurrent_jobs: 2 },
      previous: { chat: true, concurrent_jobs: 1 },
    });
    // The support timeline has it too: one entitlement event each, none for the covered customer.
    const kinds = await db.prisma.entitlementEvent.groupBy({
      by: ['customerId'],
      where: { kind: 'catalog_changed' },
      _count: { _all: true },
    });
    expect(kinds.map((k) => [k.customerId, k._count._all]).sort()).toEqual(
      [
        [onStarter.id, 1],
        [onDefault.id, 1],
      ].sort(),
    );

    // A save that changes no one's entitlements (a plan's name) reports nothing more.
    const renamed = structuredClone(edited);
    plan(renamed, 'starter').name = 'Starter plus';
    await saveCatalog(db.prisma, {
      catalog: renamed,
      reason: 'rename',
      baseVersion: saved.version,
      source: 'editor',
      actor: admin,
    });
    expect(await changedEvents()).toHaveLength(2);
  });
});
