// The webhook harness with the project's Stripe emulator (emulator/) as Stripe,
// reached through the official SDK: the test catalog's prices exist there and are mapped here.
// No webhook endpoint is registered, so the emulator delivers nothing by itself: a test hands the
// app exactly the events it wants delivered (h.deliver), and every other event is one Stripe has
// and we never received, as after an outage.
import type Stripe from 'stripe';
import type { EmulatorDriver } from '../../emulator/driver.ts';
import { startTestEmulator, type TestEmulator } from '../../emulator/testing.ts';
import { createWebhookHarness, WEBHOOK_SECRET, type WebhookHarness } from './harness.ts';

export type CatalogKey = 'starter' | 'big' | 'pro' | 'max';

export interface EmulatorHarness extends WebhookHarness {
  stripe: Stripe;
  driver: EmulatorDriver;
  /** The emulator's price id for each entry of the test catalog. */
  prices: Record<CatalogKey, string>;
}

const CATALOG: Array<{ key: CatalogKey; amount: number; monthly: boolean }> = [
  { key: 'starter', amount: 900, monthly: false },
  { key: 'big', amount: 2900, monthly: false },
  { key: 'pro', amount: 1900, monthly: true },
  { key: 'max', amount: 4900, monthly: true },
];

export async function createEmulatorHarness(
  options: { env?: Record<string, string>; changeFeed?: boolean } = {},
): Promise<EmulatorHarness> {
  const emulator: TestEmulator = await startTestEmulator();
  const { stripe, driver } = emulator;
  const h = await createWebhookHarness({
    stripe: { client: stripe, mode: 'emulator', webhookSecrets: [WEBHOOK_SECRET] },
    ...(options.env ? { env: options.env } : {}),
    ...(options.changeFeed ? { changeFeed: true } : {}),
  });
  const prices = {} as Record<CatalogKey, string>;
  // The emulator's prices replace the test catalog's, mapped as an admin would.
  await h.prisma.catalogPrice.deleteMany();
  for (const { key, amount, monthly } of CATALOG) {
    const product = await stripe.products.create({ name: key });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: amount,
      ...(monthly ? { recurring: { interval: 'month' } } : {}),
    });
    prices[key] = price.id;
    await h.prisma.catalogPrice.create({
      data: { stripePriceId: price.id, ...(monthly ? { planKey: key } : { packKey: key }) },
    });
  }
  return {
    ...h,
    stripe,
    driver,
    prices,
    async close() {
      await h.close();
      await emulator.stop();
    },
  };
}

/** Every event the emulator has about one object (its id is data.object.id), oldest first. */
export async function eventsAbout(stripe: Stripe, objectId: string, type?: string): Promise<Stripe.Event[]> {
  const found: Stripe.Event[] = [];
  for await (const e of stripe.events.list({ limit: 100, ...(type ? { type } : {}) })) {
    if ((e.data.object as { id?: string }).id === objectId) found.push(e);
  }
  return found.reverse();
}
