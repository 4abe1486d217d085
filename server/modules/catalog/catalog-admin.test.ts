// The catalog admin operations on a real database: a change previewed before saving (every problem
// with its path, the customers each change reaches), saving against a stale version, versions and
// restore, and the Stripe price mapping helper.
import type { EventCause } from '../../contracts/event-causes.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { findPriceMapping } from './find-price-mapping.ts';
import { exportCatalog } from './get-catalog.ts';
import { importCatalog } from './import-catalog.ts';
import {
  currentCatalogVersion,
  getCatalogVersion,
  latestCatalogVersion,
  listCatalogVersions,
} from './list-catalog-versions.ts';
import { listUnmappedPrices } from './list-unmapped-prices.ts';
import { mapPrice } from './map-price.ts';
import { previewCatalogChange, type CatalogImpact } from './preview-catalog-change.ts';
import { restoreCatalogVersion } from './restore-catalog-version.ts';
import { saveCatalog } from './save-catalog.ts';

const admin: Actor = { type: 'staff', id: 'admin-1', email: 'admin@example.com', role: 'admin', ip: null };
const defaultCatalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
type Json = typeof defaultCatalog;
const clone = (): Json => structuredClone(defaultCatalog);
const plan = (c: Json, key: string) => c.plans.find((p: { key: string }) => p.key === key);

let db: TestDatabase;
const ids: Record<string, string> = {};

async function customer(externalId: string, planKey: string | null) {
  const row = await db.prisma.customer.create({
    data: { externalId, email: `${externalId}@example.com`, planKey },
  });
  ids[externalId] = row.id;
  return row;
}

async function storeEvent(
  id: string,
  input: { type: string; object: unknown; cause?: EventCause; customerId?: string },
) {
  await db.prisma.stripeEvent.create({
    data: {
      id,
      type: input.type,
      created: new Date(),
      livemode: false,
      payload: { id, object: 'event', type: input.type, data: { object: input.object } } as object,
      status: input.cause ? 'failed' : 'processed',
      cause: input.cause?.code ?? null,
      causeDetail: input.cause ? (input.cause.detail as object) : undefined,
      // Words unlike any message the code ever wrote: the helper must act on the cause alone.
      lastError: input.cause ? 'reworded: the catalog has nothing for what was bought' : null,
      customerId: input.customerId ?? null,
    },
  });
}

const impact = (impacts: CatalogImpact[], kind: CatalogImpact['kind'], subject: string) =>
  impacts.find((i) => i.kind === kind && i.subject === subject);

beforeAll(async () => {
  db = await createTestDatabase();
  await importCatalog(db.prisma, defaultCatalog, admin);
  for (const n of [1, 2, 3]) await customer(`pro-${n}`, 'pro');
  await customer('free-1', null);
  await customer('free-2', 'free');
  const starter = await customer('starter-1', 'starter');
  await db.prisma.subscription.create({
    data: {
      id: 'sub_starter_1',
      customerId: starter.id,
      planKey: 'starter',
      stripePriceId: 'price_starter_monthly',
      status: 'active',
    },
  });
  await db.prisma.subscription.create({
    data: { id: 'sub_old', customerId: ids['pro-1']!, stripePriceId: 'price_starter_monthly', status: 'canceled' },
  });
  await db.prisma.customerOverride.create({
    data: {
      customerId: ids['free-1']!,
      feature: 'video_generation',
      value: true,
      reason: 'beta',
      createdBy: 'admin-1',
    },
  });
});
afterAll(async () => {
  await db?.drop();
});

describe('previewing a catalog change', () => {
  it('lists every problem with its path and writes nothing', async () => {
    const bad = clone();
    bad.plans[1].monthlyCredits = -1;
    bad.plans[2].entitlements.teleport = true;
    bad.creditPacks[0].stripePriceIds = [];
    const audits = await db.prisma.auditLog.count();
    const preview = await previewCatalogChange(db.prisma, bad);
    expect(preview.ok).toBe(false);
    expect(preview.problems.map((p) => p.path).sort()).toEqual(
      ['creditPacks[0].stripePriceIds', 'plans[1].monthlyCredits', 'plans[2].entitlements.teleport'].sort(),
    );
    expect(preview.impacts).toEqual([]);
    expect(await db.prisma.auditLog.count()).toBe(audits);
  });

  it('an unchanged catalog changes nothing and touches nobody', async () => {
    const preview = await previewCatalogChange(db.prisma, await exportCatalog(db.prisma));
    expect(preview).toMatchObject({ ok: true, changed: false, impacts: [] });
  });

  it('names the customers on a plan whose entitlements or credits change', async () => {
    const next = clone();
    delete plan(next, 'pro').entitlements.video_generation;
    plan(next, 'pro').monthlyCredits = 6000;
    plan(next, 'growth').name = 'Growth 2027';
    const preview = await previewCatalogChange(db.prisma, next);
    expect(preview.ok).toBe(true);
    expect(preview.diff?.plans).toEqual({ added: [], updated: ['pro', 'growth'], removed: [] });
    const pro = impact(preview.impacts, 'plan_changed', 'pro')!;
    expect(pro.changes).toEqual([
      { field: 'monthlyCredits', before: 5000, after: 6000 },
      { field: 'entitlements.video_generation', before: true, after: null },
    ]);
    expect(pro.customers?.count).toBe(3);
    expect(pro.customers?.sample.map((c) => c.externalId).sort()).toEqual(['pro-1', 'pro-2', 'pro-3']);
    expect(pro.attention).toBe(true);
    // A rename reaches no customer.
    expect(impact(preview.impacts, 'plan_changed', 'growth')).toMatchObject({
      changes: [{ field: 'name', before: 'Growth', after: 'Growth 2027' }],
      customers: null,
    });
  });

  it('counts customers without a plan as on the default plan', async () => {
    const next = clone();
    plan(next, 'free').entitlements.concurrent_jobs = 2;
    const freePlan = impact((await previewCatalogChange(db.prisma, next)).impacts, 'plan_changed', 'free')!;
    expect(freePlan.customers?.count).toBe(2);
    expect(freePlan.attention).toBe(false);

    const moved = clone();
    plan(moved, 'free').default = false;
    moved.plans.push({
      key: 'basic',
      name: 'Basic',
      default: true,
      monthlyCredits: 10,
      stripePriceIds: [],
      entitlements: { chat: true },
    });
    const preview = await previewCatalogChange(db.prisma, moved);
    expect(impact(preview.impacts, 'default_plan', 'basic')).toMatchObject({
      changes: [{ field: 'default', before: 'free', after: 'basic' }],
      customers: { count: 1 },
    });
    expect(impact(preview.impacts, 'plan_added', 'basic')).toBeDefined();
  });

  it('names customers whose live subscription price is dropped, and the events a new price unblocks', async () => {
    await storeEvent('evt_waiting_1', {
      type: 'checkout.session.completed',
      object: { id: 'cs_1', object: 'checkout.session' },
      cause: { code: 'unknown_price', detail: { priceId: 'price_pro_2027' } },
      customerId: ids['pro-2'],
    });
    const next = clone();
    plan(next, 'starter').stripePriceIds = ['price_starter_yearly'];
    plan(next, 'pro').stripePriceIds.push('price_pro_2027');
    const preview = await previewCatalogChange(db.prisma, next);
    // The canceled subscription on the same price does not count.
    expect(impact(preview.impacts, 'price_unmapped', 'price_starter_monthly')).toMatchObject({
      changes: [{ field: 'owner', before: 'plan:starter', after: null }],
      customers: { count: 1, sample: [{ externalId: 'starter-1' }] },
      attention: true,
    });
    expect(impact(preview.impacts, 'price_mapped', 'price_pro_2027')).toMatchObject({
      changes: [{ field: 'owner', before: null, after: 'plan:pro' }],
      waitingEventIds: ['evt_waiting_1'],
      customers: { count: 1, sample: [{ externalId: 'pro-2' }] },
    });

    const swapped = clone();
    plan(swapped, 'starter').stripePriceIds = ['price_starter_yearly'];
    plan(swapped, 'pro').stripePriceIds.push('price_starter_monthly');
    expect(
      impact((await previewCatalogChange(db.prisma, swapped)).impacts, 'price_moved', 'price_starter_monthly'),
    ).toMatchObject({ changes: [{ before: 'plan:starter', after: 'plan:pro' }], customers: { count: 1 } });
  });

  it('feature cost changes reach customers who have the feature by plan or override', async () => {
    const next = clone();
    next.features.find((f: { key: string }) => f.key === 'video_generation').creditCost = 120;
    const video = impact((await previewCatalogChange(db.prisma, next)).impacts, 'feature_changed', 'video_generation')!;
    // pro-1..3 by plan (pro), free-1 by override; growth has nobody.
    expect(video.customers?.count).toBe(4);
    expect(video.changes).toEqual([{ field: 'creditCost', before: 100, after: 120 }]);
    expect(video.attention).toBe(true);
  });

  it('refuses to drop a plan customers are on, as a problem of the preview', async () => {
    const next = clone();
    next.plans = next.plans.filter((p: { key: string }) => p.key !== 'pro');
    const preview = await previewCatalogChange(db.prisma, next);
    expect(preview.ok).toBe(false);
    expect(preview.problems).toEqual([
      { path: 'plans', message: expect.stringContaining('plan "pro" is missing but 3 customer(s) are on it') },
    ]);
    expect(impact(preview.impacts, 'plan_removed', 'pro')?.customers?.count).toBe(3);
  });

  it('rules and policy texts: only changed fields, packs change future purchases only', async () => {
    const next = clone();
    next.rules.gracePeriodDays = 5;
    next.rules.policies.refundPolicy = 'No refunds after 30 days.';
    next.creditPacks[0].credits = 1200;
    const preview = await previewCatalogChange(db.prisma, next);
    expect(impact(preview.impacts, 'rules_changed', 'rules')).toMatchObject({
      changes: [
        { field: 'gracePeriodDays', before: 3, after: 5 },
        { field: 'policies.refundPolicy', after: 'No refunds after 30 days.' },
      ],
      customers: { count: 0 },
    });
    expect(impact(preview.impacts, 'pack_changed', 'pack_1000')).toMatchObject({
      changes: [{ field: 'credits', before: 1000, after: 1200 }],
      customers: null,
    });
  });
});

describe('saving, versions and restore', () => {
  it('saves against the version the draft started from, refuses a stale one', async () => {
    const base = await latestCatalogVersion(db.prisma);
    expect(base).not.toBeNull();
    const next = clone();
    plan(next, 'starter').monthlyCredits = 1500;
    const stale = await saveCatalog(db.prisma, {
      catalog: next,
      reason: 'raise starter',
      baseVersion: null,
      source: 'editor',
      actor: admin,
    }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(AppError);
    expect((stale as AppError).code).toBe('STALE');

    const saved = await saveCatalog(db.prisma, {
      catalog: next,
      reason: 'raise starter',
      baseVersion: base,
      source: 'editor',
      actor: admin,
    });
    expect(saved).toMatchObject({ changed: true, plans: { updated: ['starter'] } });
    expect(BigInt(saved.version!)).toBeGreaterThan(BigInt(base!));
    const record = await db.prisma.auditLog.findFirstOrThrow({ where: { id: BigInt(saved.version!) } });
    expect(record).toMatchObject({ action: 'catalog.save', actorId: 'admin-1' });
    expect(record.reason).toBe('raise starter (plans: +0 ~1 -0)');
  });

  it('lists versions newest first and restores an earlier one as a new version', async () => {
    const versions = await listCatalogVersions(db.prisma);
    expect(versions.items.map((v) => v.action)).toEqual(['catalog.save', 'catalog.import']);
    expect(versions.items[0]!.current).toBe(true);
    // Numbered 1, 2, 3 per catalog, whatever other audit records came between (issue 16).
    expect(versions.items.map((v) => v.number)).toEqual([2, 1]);
    const first = versions.items[1]!;
    expect((await getCatalogVersion(db.prisma, first.id)).number).toBe(1);
    expect(((await getCatalogVersion(db.prisma, first.id)).catalog as Json).plans[1].monthlyCredits).toBe(1000);

    const restored = await restoreCatalogVersion(db.prisma, { versionId: first.id, reason: 'undo', actor: admin });
    expect(restored.changed).toBe(true);
    // What the Catalog page's header and the restore's toast say: numbers, not audit record ids.
    expect(restored).toMatchObject({ restoredNumber: 1, versionNumber: 3 });
    expect(await currentCatalogVersion(db.prisma)).toEqual({ version: restored.version, versionNumber: 3 });
    expect(plan(await exportCatalog(db.prisma), 'starter').monthlyCredits).toBe(1000);
    const after = await listCatalogVersions(db.prisma, { limit: 1 });
    expect(after.items[0]).toMatchObject({ action: 'catalog.restore', current: true, number: 3 });
    expect(after.items[0]!.reason).toContain('restored version 1: undo');
    expect(after.nextCursor).not.toBeNull();
    await expect(getCatalogVersion(db.prisma, '999999')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('Stripe price mapping helper', () => {
  it('lists prices seen in events or named by failures that the catalog does not map', async () => {
    await storeEvent('evt_sub_seen', {
      type: 'customer.subscription.updated',
      object: {
        id: 'sub_seen',
        object: 'subscription',
        items: {
          data: [
            {
              price: {
                id: 'price_team_monthly',
                object: 'price',
                type: 'recurring',
                recurring: { interval: 'month' },
                unit_amount: 4900,
                currency: 'eur',
                product: 'prod_team',
                active: true,
                nickname: 'Team',
              },
            },
            { price: { id: 'price_pro_monthly', object: 'price' } },
          ],
        },
      },
      customerId: ids['pro-1'],
    });
    await storeEvent('evt_invoice_seen', {
      type: 'invoice.paid',
      object: {
        id: 'in_seen',
        object: 'invoice',
        metadata: { note: 'price_not_a_price_field' },
        lines: { data: [{ pricing: { type: 'price_details', price_details: { price: 'price_invoice_line' } } }] },
      },
    });
    const list = await listUnmappedPrices(db.prisma);
    expect(list.stripe).toEqual({ checked: false, error: null });
    // Only values of "price" fields count, not any string that starts with "price_".
    expect(list.items.map((p) => p.priceId)).not.toContain('price_details');
    expect(list.items.map((p) => p.priceId)).not.toContain('price_not_a_price_field');
    expect(list.items.find((p) => p.priceId === 'price_invoice_line')).toMatchObject({
      seenInEvents: 1,
      details: null,
      suggestedKind: null,
    });
    const byId = new Map(list.items.map((p) => [p.priceId, p]));
    // Mapped prices are not listed; the price waiting with a failed event comes first.
    expect(byId.has('price_pro_monthly')).toBe(false);
    expect(list.items[0]).toMatchObject({ priceId: 'price_pro_2027', waitingEventIds: ['evt_waiting_1'] });
    expect(byId.get('price_team_monthly')).toMatchObject({
      seenInEvents: 1,
      customers: 1,
      waitingEventIds: [],
      suggestedKind: 'plan',
      details: { unitAmount: 4900, currency: 'eur', interval: 'month', product: 'prod_team', nickname: 'Team' },
    });
    expect(list.mappedWaiting).toEqual([]);
  });

  it('maps a price in one step (audited, a new version) and hands back the events to reprocess', async () => {
    const result = await mapPrice(db.prisma, {
      priceId: 'price_pro_2027',
      target: { kind: 'plan', key: 'pro' },
      reason: 'new yearly price',
      actor: admin,
    });
    expect(result).toMatchObject({ changed: true, waitingEventIds: ['evt_waiting_1'] });
    expect(await findPriceMapping(db.prisma, 'price_pro_2027')).toMatchObject({ kind: 'plan', plan: { key: 'pro' } });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { id: BigInt(result.version!) } });
    expect(audit.action).toBe('catalog.map_price');
    expect(audit.reason).toContain('mapped price_pro_2027 to plan pro: new yearly price');

    const list = await listUnmappedPrices(db.prisma);
    expect(list.items.map((p) => p.priceId)).not.toContain('price_pro_2027');
    expect(list.mappedWaiting).toEqual([
      { priceId: 'price_pro_2027', owner: 'plan:pro', waitingEventIds: ['evt_waiting_1'] },
    ]);

    await expect(
      mapPrice(db.prisma, {
        priceId: 'price_pro_2027',
        target: { kind: 'pack', key: 'pack_1000' },
        reason: 'again',
        actor: admin,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(
      mapPrice(db.prisma, {
        priceId: 'price_x_1',
        target: { kind: 'pack', key: 'nope' },
        reason: 'again',
        actor: admin,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The default plan is free: a price on it is a validation problem, nothing is written.
    await expect(
      mapPrice(db.prisma, {
        priceId: 'price_x_2',
        target: { kind: 'plan', key: 'free' },
        reason: 'oops',
        actor: admin,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await findPriceMapping(db.prisma, 'price_x_2')).toBeNull();
  });
});
