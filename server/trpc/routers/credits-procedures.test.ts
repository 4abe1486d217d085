// The staff procedures of the customers, ledger, catalog and apiKeys routers, through createCaller
// on a real database: role tiers, inputs validated by the shared contracts, AppErrors mapped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { PROJECT_ROOT } from '../../db/migrator.ts';
import { createContextInner } from '../context.ts';
import { createCallerFactory } from '../init.ts';
import { appRouter } from '../router.ts';

let t: TestContext;
const createCaller = createCallerFactory(appRouter);
const as = (role: 'support' | 'finance' | 'admin') =>
  createCaller(createContextInner(t.deps, { id: `u-${role}`, email: `${role}@x.io`, name: role, role }, '10.1.2.3'));
const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));

beforeAll(async () => {
  t = await createTestDeps();
});
afterAll(async () => {
  await t?.db.drop();
});

describe('catalog procedures', () => {
  it('admins import (problems come back as data) and export; others only read', async () => {
    await expect(as('finance').catalog.import({ catalog })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const bad = structuredClone(catalog);
    bad.plans[0].entitlements.flying = true;
    const err = await as('admin')
      .catalog.import({ catalog: bad })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    expect(JSON.stringify((err as { cause?: { details?: unknown } }).cause?.details)).toContain(
      'plans[0].entitlements.flying',
    );

    expect(await as('admin').catalog.import({ catalog })).toMatchObject({ changed: true });
    expect((await as('admin').catalog.export()).plans).toHaveLength(4);
    expect((await as('support').catalog.get()).plans.map((p) => p.key)).toEqual(['free', 'starter', 'pro', 'growth']);
    await expect(as('support').catalog.export()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('customer and ledger procedures', () => {
  it('finance grants and adjusts with a reason; support reads; everything is audited', async () => {
    const customer = await t.deps.prisma.customer.create({ data: { externalId: 'proc-1', email: 'proc@example.com' } });
    const grant = {
      customerId: customer.id,
      credits: 500,
      kind: 'grant' as const,
      reason: 'Goodwill after outage',
      reference: 'TICKET-1',
      idempotencyKey: 'dialog-0001',
    };
    await expect(as('support').ledger.adjust(grant)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(as('finance').ledger.adjust({ ...grant, reason: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const first = await as('finance').ledger.adjust(grant);
    expect(first.entry).toMatchObject({
      type: 'grant',
      credits: 500,
      balanceAfter: 500,
      actorType: 'staff',
      actorId: 'u-finance',
    });
    // A double submit of the same dialog posts once.
    expect((await as('finance').ledger.adjust(grant)).replayed).toBe(true);
    const minus = await as('admin').ledger.adjust({
      customerId: customer.id,
      credits: -120,
      kind: 'adjustment',
      reason: 'Duplicate grant removed',
      idempotencyKey: 'dialog-0002',
    });
    expect(minus.entry).toMatchObject({ type: 'manual_adjustment', credits: -120, balanceAfter: 380 });
    await expect(
      as('admin').ledger.adjust({
        customerId: customer.id,
        credits: -1000,
        kind: 'adjustment',
        reason: 'too much',
        idempotencyKey: 'dialog-0003',
      }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });

    const audit = await t.deps.prisma.auditLog.findMany({ where: { customerId: customer.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorId, a.reason, a.ip])).toEqual([
      ['ledger.grant', 'u-finance', 'Goodwill after outage', '10.1.2.3'],
      ['ledger.adjust', 'u-admin', 'Duplicate grant removed', '10.1.2.3'],
    ]);

    const support = as('support');
    expect(await support.ledger.balance({ customerId: customer.id })).toMatchObject({ balance: 380, available: 380 });
    const page = await support.ledger.entries({ customerId: customer.id, pageSize: 1 });
    expect(page).toMatchObject({ total: 2, pageSize: 1 });
    expect(page.nextCursor).not.toBeNull();
    expect(page.items[0]).toMatchObject({ type: 'manual_adjustment', allocations: [{ credits: -120, position: 0 }] });
    expect((await support.ledger.entries({ customerId: customer.id, types: ['grant'] })).total).toBe(1);
    expect(await support.ledger.verify({ customerId: customer.id })).toEqual([]);

    const list = await support.customers.list({ query: 'proc@' });
    expect(list.items.map((c) => c.externalId)).toEqual(['proc-1']);
    expect((await support.customers.list({ query: 'proc-1' })).total).toBe(1);
    const overview = await support.customers.get({ customerId: customer.id });
    expect(overview).toMatchObject({ balance: 380, available: 380, entitlements: { plan: { key: 'free' } } });
  });

  it('admins change plans and overrides; support cannot', async () => {
    const customer = await t.deps.prisma.customer.create({
      data: { externalId: 'proc-2', email: 'proc2@example.com' },
    });
    const setPlan = { customerId: customer.id, planKey: 'growth', reason: 'Enterprise deal' };
    await expect(as('support').customers.setPlan(setPlan)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await as('admin').customers.setPlan(setPlan)).toMatchObject({ changed: true, planKey: 'growth' });
    await expect(as('admin').customers.setPlan({ ...setPlan, planKey: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const override = await as('admin').customers.grantOverride({
      customerId: customer.id,
      feature: 'concurrent_jobs',
      value: 100,
      expiresAt: new Date(Date.now() + 86_400_000),
      reason: 'Load test this week',
    });
    expect(
      (await as('support').customers.get({ customerId: customer.id })).entitlements.features.concurrent_jobs,
    ).toMatchObject({
      value: 100,
      source: 'temporary_grant',
    });
    await as('admin').customers.revokeOverride({ overrideId: override.id, reason: 'Load test done' });
    expect((await as('support').customers.overrides({ customerId: customer.id }))[0]).toMatchObject({ active: false });
  });

  it('admins manage API keys; the key is shown once', async () => {
    await expect(as('finance').apiKeys.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const created = await as('admin').apiKeys.create({ name: 'Production backend' });
    expect(created.key).toMatch(/^cdk_/);
    const listed = await as('admin').apiKeys.list();
    expect(listed.find((k) => k.id === created.apiKey.id)).toMatchObject({
      name: 'Production backend',
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const revoked = await as('admin').apiKeys.revoke({ id: created.apiKey.id, reason: 'Rotated' });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
  });
});
