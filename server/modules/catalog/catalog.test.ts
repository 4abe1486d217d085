import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { findPriceMapping } from './find-price-mapping.ts';
import { exportCatalog } from './get-catalog.ts';
import { getPack, packExpiry } from './get-pack.ts';
import { getDefaultPlan, getPlan } from './get-plan.ts';
import { getRules } from './get-rules.ts';
import { importCatalog } from './import-catalog.ts';

const admin: Actor = { type: 'staff', id: 'admin-1', email: 'admin@example.com', role: 'admin', ip: '10.0.0.1' };
const defaultCatalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
const clone = () => structuredClone(defaultCatalog);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

async function importError(json: unknown): Promise<AppError> {
  const err = await importCatalog(db.prisma, json, admin).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('catalog import and export', () => {
  it('rules fall back to the schema defaults before any import', async () => {
    expect(await getRules(db.prisma)).toMatchObject({ gracePeriodDays: 3, autoBlockDisputes: 3, updatedAt: null });
    expect(await getDefaultPlan(db.prisma)).toBeNull();
  });

  it('imports the default catalog, audited, and exports the same shape back', async () => {
    const result = await importCatalog(db.prisma, defaultCatalog, admin);
    expect(result.changed).toBe(true);
    expect(result.rules).toBe(true);
    expect((await getRules(db.prisma)).updatedAt).toBeInstanceOf(Date);
    expect(result.plans.added).toEqual(['free', 'starter', 'pro', 'growth']);
    expect(result.creditPacks.added).toEqual(['pack_1000', 'pack_10000', 'pack_50000']);
    const exported = await exportCatalog(db.prisma);
    expect(exported.plans.map((p) => p.key)).toEqual(['free', 'starter', 'pro', 'growth']);
    expect(exported.features.find((f) => f.key === 'video_generation')).toEqual({
      key: 'video_generation',
      name: 'Video generation',
      type: 'boolean',
      creditCost: 100,
    });
    expect(exported.rules).toEqual(defaultCatalog.rules);
    const audit = await db.prisma.auditLog.findMany({ where: { action: 'catalog.import' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'admin-1', actorRole: 'admin', targetType: 'catalog' });

    // Export -> import and the same file again: nothing changes, nothing is written.
    expect((await importCatalog(db.prisma, exported, admin)).changed).toBe(false);
    expect((await importCatalog(db.prisma, defaultCatalog, admin)).changed).toBe(false);
    expect(await db.prisma.auditLog.count({ where: { action: 'catalog.import' } })).toBe(1);
  });

  it('answers the lookups billing needs', async () => {
    expect(await findPriceMapping(db.prisma, 'price_pro_yearly')).toMatchObject({ kind: 'plan', plan: { key: 'pro' } });
    expect(await findPriceMapping(db.prisma, 'price_pack_10000')).toMatchObject({
      kind: 'pack',
      pack: { key: 'pack_10000', credits: 10000 },
    });
    expect(await findPriceMapping(db.prisma, 'price_unknown')).toBeNull();
    expect((await getDefaultPlan(db.prisma))?.key).toBe('free');
    expect(await getPlan(db.prisma, 'growth')).toMatchObject({ monthlyCredits: 20000, rollover: true });
    const pack = await getPack(db.prisma, 'pack_1000');
    expect(packExpiry(pack!, new Date('2026-01-01T00:00:00Z'))).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(await getRules(db.prisma)).toMatchObject({ refundApprovalAbove: 10000, refundApprovalCurrency: 'eur' });
  });

  it('lists every problem at once and writes nothing', async () => {
    const bad = clone();
    bad.plans[1].entitlements.teleportation = true; // unknown feature
    bad.plans[2].stripePriceIds.push('price_starter_monthly'); // duplicate price id
    bad.plans[3].default = true; // second default
    bad.plans[3].entitlements.concurrent_jobs = true; // fine: unlimited
    bad.plans[2].entitlements.api_access = 5; // number for an on/off feature
    bad.features.push({ key: 'chat', name: 'Chat again' }); // duplicate key
    const err = await importError(bad);
    expect(err.code).toBe('VALIDATION');
    const problems = (err.details as { problems: Array<{ path: string; message: string }> }).problems;
    expect(problems.map((p) => p.path).sort()).toEqual(
      [
        'features[6].key',
        'plans[1].entitlements.teleportation',
        'plans[2].entitlements.api_access',
        'plans[2].stripePriceIds[2]',
        'plans[3].default',
        'plans[3].stripePriceIds', // a default plan is free: no price
      ].sort(),
    );
    expect(problems.find((p) => p.path === 'plans[1].entitlements.teleportation')?.message).toContain(
      'unknown feature "teleportation"',
    );
    expect(err.message).toMatch(/^The catalog has 6 problems/);

    const negative = clone();
    negative.creditPacks[0].credits = -1000;
    negative.plans[1].monthlyCredits = -5;
    negative.features[0].creditCost = 1.5;
    negative.plans[1].entitlements.teleportation = true;
    const structural = await importError(negative);
    // Malformed values and cross-reference problems are reported together.
    expect((structural.details as { problems: Array<{ path: string }> }).problems.map((p) => p.path).sort()).toEqual(
      [
        'creditPacks[0].credits',
        'features[0].creditCost',
        'plans[1].entitlements.teleportation',
        'plans[1].monthlyCredits',
      ].sort(),
    );

    expect((await importError({ plans: 'nope' })).message).toContain('problems');
    expect(await db.prisma.plan.count()).toBe(4);
    expect(await db.prisma.auditLog.count({ where: { action: 'catalog.import' } })).toBe(1);
  });

  it('replaces the catalog with the file, but keeps plans customers are on', async () => {
    const customer = await ensureCustomer(db.prisma, { externalId: 'on-growth', email: 'g@example.com' });
    await db.prisma.customer.update({ where: { id: customer.id }, data: { planKey: 'growth' } });

    const next = clone();
    next.plans = next.plans.filter((p: { key: string }) => p.key !== 'growth');
    const refused = await importError(next);
    expect(refused.message).toContain('plan "growth"');
    expect(await getPlan(db.prisma, 'growth')).not.toBeNull();

    const edited = clone();
    edited.creditPacks = edited.creditPacks.filter((p: { key: string }) => p.key !== 'pack_50000');
    edited.plans[1].name = 'Starter 2027';
    edited.plans[1].stripePriceIds = ['price_starter_monthly_2027'];
    edited.rules.gracePeriodDays = 5;
    const result = await importCatalog(db.prisma, edited, admin);
    expect(result).toMatchObject({
      changed: true,
      plans: { added: [], updated: ['starter'], removed: [] },
      creditPacks: { removed: ['pack_50000'] },
      rules: true,
    });
    expect(await findPriceMapping(db.prisma, 'price_pack_50000')).toBeNull();
    expect(await findPriceMapping(db.prisma, 'price_starter_monthly')).toBeNull();
    expect(await findPriceMapping(db.prisma, 'price_starter_monthly_2027')).toMatchObject({ plan: { key: 'starter' } });
    expect((await getRules(db.prisma)).gracePeriodDays).toBe(5);
    const audit = await db.prisma.auditLog.findFirst({ where: { action: 'catalog.import' }, orderBy: { id: 'desc' } });
    expect(audit?.reason).toContain('packs: +0 ~0 -1');
  });

  it("drops a pack a customer's auto top-up names: the setting falls back to its plan's pack (foreign key)", async () => {
    const customer = await ensureCustomer(db.prisma, { externalId: 'tops-up', email: 't@example.com' });
    await db.prisma.autoTopupSetting.create({
      data: { customerId: customer.id, enabled: true, thresholdCredits: 100, packKey: 'pack_10000' },
    });
    const next = clone();
    next.creditPacks = next.creditPacks.filter((p: { key: string }) => !['pack_50000', 'pack_10000'].includes(p.key));
    const result = await importCatalog(db.prisma, next, admin);
    expect(result.creditPacks.removed).toEqual(['pack_10000']);
    expect(await db.prisma.autoTopupSetting.findUnique({ where: { customerId: customer.id } })).toMatchObject({
      enabled: true,
      thresholdCredits: 100,
      packKey: null,
    });
  });
});
