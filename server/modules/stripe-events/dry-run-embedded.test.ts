// The dry run on the embedded database (PGlite served by pglite-socket: every connection shares one
// session, and an open transaction keeps it). The run reads "before" inside its own transaction: a
// read through the pool while the transaction is open waited for the transaction to end, and the
// transaction for the read, until the pipeline's 30 s transaction timeout (the mapping helper's
// dry run showed "Loading" meanwhile). Always on the embedded database, whatever TEST_DATABASE_URL says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event } from '../../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../../test/stripe/harness.ts';
import type { Actor } from '../../lib/actor.ts';
import { pipelineContext } from '../../stripe/pipeline.ts';
import { previewMapPrice } from '../catalog/preview-map-price.ts';
import { dryRunEvents } from './dry-run-events.ts';

const admin: Actor = { type: 'staff', id: 'admin-1', email: 'admin@example.com', role: 'admin', ip: null };
let h: WebhookHarness;

beforeAll(async () => {
  h = await createWebhookHarness({ embedded: true });
  // The harness's plans name these features; a catalog change validates the whole catalog.
  await h.prisma.feature.createMany({ data: ['chat', 'image', 'video'].map((key) => ({ key, name: key })) });
});
afterAll(async () => {
  await h?.close();
});

// Well under the 30 s transaction timeout that used to end the wait.
const QUICKLY = 15_000;

describe('dry run on the embedded database', () => {
  it(
    'previews a price mapping for a known customer: before and after, without waiting on itself',
    async () => {
      const customer = await h.prisma.customer.create({
        data: { externalId: 'emb_user', email: 'emb@example.com', balance: 0 },
      });
      const session = checkoutSession({
        metadata: { user_id: 'emb_user' },
        email: 'emb@example.com',
        lineItems: [{ price: 'price_emb_promo', quantity: 1 }],
      });
      const payload = event('checkout.session.completed', session);
      expect((await h.deliver(payload)).statusCode).toBe(200);
      const failed = await h.prisma.stripeEvent.findUniqueOrThrow({ where: { id: payload.id as string } });
      expect(failed.status).toBe('failed');

      const ctx = pipelineContext(h.t.deps);
      const started = Date.now();
      const preview = await previewMapPrice(ctx, {
        priceId: 'price_emb_promo',
        target: { kind: 'pack', key: 'starter' },
        actor: admin,
      });
      expect(Date.now() - started).toBeLessThan(QUICKLY);
      expect(preview.waitingEventIds).toEqual([failed.id]);
      expect(preview.report!.totals).toMatchObject({ credits: 500, entries: 1, wouldFail: 0 });
      // "Before" is the committed row; "after" what the run would leave.
      expect(preview.report!.customers).toEqual([
        {
          id: customer.id,
          before: expect.objectContaining({ externalId: 'emb_user', balance: 0 }),
          after: expect.objectContaining({ externalId: 'emb_user', balance: 500 }),
        },
      ]);

      // The plain dry run (the webhook monitor's) takes the same path; nothing was kept.
      const plain = await dryRunEvents(ctx, [failed.id]);
      expect(plain.events[0]).toMatchObject({
        outcome: 'failed',
        cause: expect.objectContaining({ code: 'unknown_price' }),
      });
      expect(await h.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).toMatchObject({ balance: 0 });
      expect(await h.prisma.catalogPrice.count({ where: { stripePriceId: 'price_emb_promo' } })).toBe(0);
    },
    QUICKLY * 2,
  );
});
