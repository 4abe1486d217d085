import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import { SYSTEM_ACTOR, type Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { importCatalog } from '../catalog/import-catalog.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { checkAccess } from './check-access.ts';
import { grantOverride } from './grant-override.ts';
import { listOverrides } from './list-overrides.ts';
import { resolveEntitlements } from './resolve-entitlements.ts';
import { revokeOverride } from './revoke-override.ts';
import { setCustomerPlan } from './set-customer-plan.ts';

const admin: Actor = { type: 'staff', id: 'admin-7', email: 'admin@example.com', role: 'admin', ip: null };
let db: TestDatabase;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
  await importCatalog(db.prisma, catalog, SYSTEM_ACTOR);
});
afterAll(async () => {
  await db?.drop();
});

const newCustomer = () => ensureCustomer(db.prisma, { externalId: `ent-${++n}`, email: `ent${n}@example.com` });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
}

describe('resolveEntitlements', () => {
  it('uses the default plan until a plan is set, with each value and its source', async () => {
    const c = await newCustomer();
    const free = await resolveEntitlements(db.prisma, c.id);
    expect(free.plan).toEqual({ key: 'free', name: 'Free', isDefault: true });
    expect(free.features.chat).toMatchObject({ value: true, source: 'plan', creditCost: 1 });
    expect(free.features.image_generation).toMatchObject({ value: false, source: 'none' });
    expect(free.features.concurrent_jobs).toMatchObject({ value: 1, source: 'plan', type: 'limit' });
  });

  it('records plan changes as entitlement events (and audits staff changes); same plan is a no-op', async () => {
    const c = await newCustomer();
    const up = await setCustomerPlan(db.prisma, {
      customerId: c.id,
      planKey: 'pro',
      reason: 'Subscribed to Pro',
      reference: 'sub_123',
    });
    expect(up.changed).toBe(true);
    expect(up.entitlements.features.video_generation?.value).toBe(true);
    const again = await setCustomerPlan(db.prisma, { customerId: c.id, planKey: 'pro', reason: 'duplicate webhook' });
    expect(again.changed).toBe(false);
    await setCustomerPlan(db.prisma, { customerId: c.id, planKey: null, reason: 'Grace period over', actor: admin });

    const events = await db.prisma.entitlementEvent.findMany({
      where: { customerId: c.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      kind: 'plan_changed',
      reason: 'Subscribed to Pro',
      reference: 'sub_123',
      before: { planKey: 'free', entitlements: { video_generation: false } },
      after: { planKey: 'pro', entitlements: { video_generation: true, concurrent_jobs: 5 } },
    });
    expect(events[1]).toMatchObject({ before: { planKey: 'pro' }, after: { planKey: 'free' } });
    expect(await db.prisma.auditLog.count({ where: { action: 'customer.set_plan', customerId: c.id } })).toBe(1);
    expect(await codeOf(setCustomerPlan(db.prisma, { customerId: c.id, planKey: 'platinum', reason: 'x' }))).toBe(
      'NOT_FOUND',
    );
  });

  it('the most generous of plan, overrides and live temporary grants wins', async () => {
    const c = await newCustomer();
    await setCustomerPlan(db.prisma, { customerId: c.id, planKey: 'starter', reason: 'test' });
    const lower = await grantOverride(db.prisma, {
      customerId: c.id,
      feature: 'concurrent_jobs',
      value: 1,
      reason: 'lower than plan',
      actor: admin,
    });
    const higher = await grantOverride(db.prisma, {
      customerId: c.id,
      feature: 'concurrent_jobs',
      value: 8,
      reason: 'big batch',
      actor: admin,
    });
    const ends = new Date(Date.now() + 7 * 86_400_000);
    const video = await grantOverride(db.prisma, {
      customerId: c.id,
      feature: 'video_generation',
      value: true,
      expiresAt: ends,
      reason: 'trial week',
      actor: admin,
    });

    const now = await resolveEntitlements(db.prisma, c.id);
    expect(now.features.concurrent_jobs).toMatchObject({ value: 8, source: 'override', overrideId: higher.id });
    expect(now.features.video_generation).toMatchObject({ value: true, source: 'temporary_grant', expiresAt: ends });
    expect(now.features.image_generation).toMatchObject({ value: true, source: 'plan' });

    const later = await resolveEntitlements(db.prisma, c.id, { now: new Date(ends.getTime() + 1000) });
    expect(later.features.video_generation).toMatchObject({ value: false, source: 'none' });

    await revokeOverride(db.prisma, { overrideId: higher.id, reason: 'batch done', actor: admin });
    expect((await resolveEntitlements(db.prisma, c.id)).features.concurrent_jobs).toMatchObject({
      value: 2,
      source: 'plan',
    });
    const overrides = await listOverrides(db.prisma, c.id);
    expect(overrides.map((o) => [o.id, o.active])).toEqual(
      expect.arrayContaining([
        [lower.id, true],
        [higher.id, false],
        [video.id, true],
      ]),
    );
    const kinds = (await db.prisma.entitlementEvent.findMany({ where: { customerId: c.id } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['override_granted', 'temporary_grant', 'override_revoked']));
    expect(
      await db.prisma.auditLog.count({ where: { customerId: c.id, action: { startsWith: 'entitlement.' } } }),
    ).toBe(4);
  });

  it('refuses overrides that do not fit the feature', async () => {
    const c = await newCustomer();
    expect(
      await codeOf(
        grantOverride(db.prisma, { customerId: c.id, feature: 'chat', value: 3, reason: 'x', actor: admin }),
      ),
    ).toBe('VALIDATION');
    expect(
      await codeOf(
        grantOverride(db.prisma, { customerId: c.id, feature: 'nope', value: true, reason: 'x', actor: admin }),
      ),
    ).toBe('NOT_FOUND');
    expect(
      await codeOf(
        grantOverride(db.prisma, {
          customerId: c.id,
          feature: 'chat',
          value: true,
          expiresAt: new Date(Date.now() - 1000),
          reason: 'x',
          actor: admin,
        }),
      ),
    ).toBe('VALIDATION');
  });

  it('a blocked customer has nothing, whatever the plan and overrides say', async () => {
    const c = await newCustomer();
    await setCustomerPlan(db.prisma, { customerId: c.id, planKey: 'growth', reason: 'test' });
    await grantOverride(db.prisma, {
      customerId: c.id,
      feature: 'concurrent_jobs',
      value: 50,
      reason: 'x',
      actor: admin,
    });
    const blocked = await db.prisma.customer.update({ where: { id: c.id }, data: { status: 'blocked' } });
    const resolved = await resolveEntitlements(db.prisma, blocked);
    expect(resolved.blocked).toBe(true);
    expect(Object.values(resolved.features).every((f) => f.value === false && f.source === 'blocked')).toBe(true);
  });
});

describe('checkAccess', () => {
  it('says blocked, not_entitled or insufficient_credits, counting only spendable credits', async () => {
    const c = await newCustomer();
    await setCustomerPlan(db.prisma, { customerId: c.id, planKey: 'pro', reason: 'test' });
    const customer = await db.prisma.customer.findUniqueOrThrow({ where: { id: c.id } });
    expect(await checkAccess(db.prisma, { customer, feature: 'image_generation' })).toEqual({
      allowed: false,
      reason: 'insufficient_credits',
    });
    expect(await checkAccess(db.prisma, { customer, feature: 'api_access' })).toEqual({ allowed: true });
    await grantCredits(db.prisma, {
      customerId: c.id,
      credits: 50,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      expiresAt: new Date(Date.now() - 1000),
      idempotencyKey: `ent-expired-${c.id}`,
      reason: 'expired promo',
      actor: SYSTEM_ACTOR,
    });
    expect(await checkAccess(db.prisma, { customer, feature: 'image_generation' })).toEqual({
      allowed: false,
      reason: 'insufficient_credits',
    });
    await grantCredits(db.prisma, {
      customerId: c.id,
      credits: 10,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: `ent-live-${c.id}`,
      reason: 'promo',
      actor: SYSTEM_ACTOR,
    });
    expect(await checkAccess(db.prisma, { customer, feature: 'image_generation' })).toEqual({ allowed: true });
    expect(await checkAccess(db.prisma, { customer, feature: 'image_generation', credits: 11 })).toEqual({
      allowed: false,
      reason: 'insufficient_credits',
    });
    expect(await codeOf(checkAccess(db.prisma, { customer, feature: 'unknown' }))).toBe('NOT_FOUND');
  });
});
