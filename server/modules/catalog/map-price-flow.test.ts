// The unknown-price repair on a real database: the dry run of a mapping (here a new pack made from
// the price) shows the grant before anything is saved and writes nothing; saving then creates the
// pack, and the waiting event reprocessed grants exactly what the dry run showed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event } from '../../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../../test/stripe/harness.ts';
import type { Actor } from '../../lib/actor.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { reprocessEvent } from '../stripe-events/reprocess-event.ts';
import { findPriceMapping } from './find-price-mapping.ts';
import { getPriceToMap } from './get-price-to-map.ts';
import { mapPrice, packKeyFor } from './map-price.ts';
import { previewMapPrice } from './preview-map-price.ts';

const admin: Actor = { type: 'staff', id: 'admin-1', email: 'admin@example.com', role: 'admin', ip: null };
let h: WebhookHarness;

beforeAll(async () => {
  h = await createWebhookHarness();
  // The harness's plans name these features; a catalog change validates the whole catalog.
  await h.prisma.feature.createMany({
    data: ['chat', 'image', 'video'].map((key) => ({ key, name: key })),
  });
});
afterAll(async () => {
  await h?.close();
});

async function counts() {
  const [entries, packs, prices, audits, customers] = await Promise.all([
    h.prisma.ledgerEntry.count(),
    h.prisma.creditPack.count(),
    h.prisma.catalogPrice.count(),
    h.prisma.auditLog.count(),
    h.prisma.customer.count(),
  ]);
  return { entries, packs, prices, audits, customers };
}

describe('mapping an unknown price', () => {
  it('makes pack keys from names, unique in the catalog', () => {
    expect(packKeyFor('Spring promo: 1,500 credits', new Set())).toBe('pack_spring_promo_1_500_credits');
    expect(packKeyFor('Spring promo', new Set(['pack_spring_promo']))).toBe('pack_spring_promo_2');
    expect(packKeyFor('!!!', new Set())).toBe('pack');
  });

  it('dry-runs a new pack before saving, then saves it and the waiting event grants what was shown', async () => {
    const session = checkoutSession({
      metadata: { user_id: 'spring_user' },
      email: 'spring@example.com',
      lineItems: [{ price: 'price_spring_promo', quantity: 1 }],
    });
    const payload = event('checkout.session.completed', session);
    expect((await h.deliver(payload)).statusCode).toBe(200);
    const failed = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: payload.id as string } });
    expect(failed.status).toBe('failed');

    const ctx = pipelineContext(h.t.deps);
    expect(await getPriceToMap(h.prisma, null, 'price_spring_promo')).toMatchObject({
      mappedTo: null,
      waitingEventIds: [failed.id],
    });

    const before = await counts();
    const target = { kind: 'new_pack', name: 'Spring promo', credits: 1500 } as const;
    const preview = await previewMapPrice(ctx, { priceId: 'price_spring_promo', target, actor: admin });
    expect(preview.waitingEventIds).toEqual([failed.id]);
    expect(preview.report?.events).toEqual([
      expect.objectContaining({ eventId: failed.id, outcome: 'processed', error: null }),
    ]);
    expect(preview.report?.totals).toMatchObject({ credits: 1500, entries: 1, wouldFail: 0 });
    // Nothing was saved: no pack, no price, no audit record, no customer, no credits.
    expect(await counts()).toEqual(before);
    expect(await findPriceMapping(h.prisma, 'price_spring_promo')).toBeNull();

    // A mapping the catalog refuses is refused by the dry run too.
    await expect(
      previewMapPrice(ctx, {
        priceId: 'price_spring_promo',
        target: { kind: 'pack', key: 'no_such_pack' },
        actor: admin,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const saved = await mapPrice(h.prisma, { priceId: 'price_spring_promo', target, reason: 'spring', actor: admin });
    expect(saved).toMatchObject({
      owner: { kind: 'pack', key: 'pack_spring_promo' },
      changed: true,
      waitingEventIds: [failed.id],
    });
    expect(await findPriceMapping(h.prisma, 'price_spring_promo')).toMatchObject({
      kind: 'pack',
      pack: { key: 'pack_spring_promo', name: 'Spring promo', credits: 1500 },
    });
    const audit = await h.prisma.auditLog.findFirstOrThrow({ where: { action: 'catalog.map_price' } });
    expect(audit.reason).toContain('mapped price_spring_promo to new pack pack_spring_promo (1500 credits): spring');

    const outcome = await reprocessEvent(ctx, { eventId: failed.id, actor: admin, reason: 'mapped the spring promo' });
    expect(outcome.status).toBe('processed');
    const customer = await h.prisma.customer.findFirstOrThrow({ where: { externalId: 'spring_user' } });
    expect(customer.balance).toBe(1500);
    await expect(
      mapPrice(h.prisma, { priceId: 'price_spring_promo', target, reason: 'again', actor: admin }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
