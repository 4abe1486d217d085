// One Ajv check per object type: every object of that type the emulator holds after a full
// business history, as the API renders it, validates against Stripe's OpenAPI schema
// (../shared/stripe/openapi-subset.json, API 2026-10-28.endive).
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors, wire } from './spec/schemas.ts';
import type { TypeName } from './store.ts';
import {
  addEndpoint,
  seedCatalog,
  startReceiver,
  startTestEmulator,
  type Receiver,
  type TestEmulator,
} from './testing.ts';
import { render } from './wire/render.ts';

let t: TestEmulator;
let rx: Receiver;

beforeAll(async () => {
  t = await startTestEmulator();
  rx = await startReceiver();
  const { stripe, driver } = t;
  await addEndpoint(stripe, rx.url);
  const { pack, plan } = await seedCatalog(stripe);
  const customer = await stripe.customers.create({
    email: 'all@example.com',
    name: 'All Objects',
    metadata: { user_id: 'u1' },
  });
  const s1 = await stripe.checkout.sessions.create({
    mode: 'payment',
    customer: customer.id,
    line_items: [{ price: pack.id, quantity: 2 }],
  });
  const paid = await driver.payCheckoutSession(s1.id, 'card_success');
  const s2 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: pack.id, quantity: 1 }] });
  await driver.payCheckoutSession(s2.id, 'card_declined');
  await driver.payCheckoutSession(s2.id, 'delayed_failure');
  const s3 = await stripe.checkout.sessions.create({
    mode: 'subscription',
    line_items: [{ price: plan.id, quantity: 1 }],
  });
  const sub = await driver.payCheckoutSession(s3.id, 'delayed_success');
  await driver.advanceSubscription(String(sub.subscription?.id), { outcome: 'failed' });
  await driver.advanceSubscription(String(sub.subscription?.id), { outcome: 'paid' });
  await driver.cancelSubscription(String(sub.subscription?.id), { atPeriodEnd: true });
  const s4 = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: pack.id, quantity: 1 }] });
  await stripe.checkout.sessions.expire(s4.id);
  const charge = String(paid.charge?.id);
  await stripe.refunds.create({ charge, amount: 300 });
  await driver.refundFromDashboard(String(sub.charge?.id));
  await driver.createEarlyFraudWarning(charge);
  const dispute = await driver.openDispute(charge, 'fraudulent');
  const file = await stripe.files.create({
    purpose: 'dispute_evidence',
    file: { data: Buffer.from('png'), name: 'shot.png', type: 'image/png' },
  });
  await stripe.disputes.update(dispute.id, {
    evidence: { uncategorized_file: file.id, uncategorized_text: 'see file' },
  });
  await driver.closeDispute(dispute.id, 'won');
  const list = await stripe.radar.valueLists.create({ alias: 'ip_block_list', name: 'IPs', item_type: 'ip_address' });
  await stripe.radar.valueListItems.create({ value_list: list.id, value: '203.0.113.9' });
  await driver.waitForIdle();
});
afterAll(async () => {
  await t.stop();
  await rx.close();
});

const TYPES: TypeName[] = [
  'customer',
  'product',
  'price',
  'checkout.session',
  'payment_intent',
  'payment_method',
  'charge',
  'balance_transaction',
  'invoice',
  'invoice_payment',
  'subscription',
  'refund',
  'dispute',
  'file',
  'event',
  'radar.value_list',
  'radar.value_list_item',
  'radar.early_fraud_warning',
];

describe('every stored object validates against its schema', () => {
  it.each(TYPES)('%s', (type) => {
    const store = t.running.emulator.store;
    const objects = store.all(type);
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) expect(schemaErrors(type, wire(render(store, o))), `${type} ${o.id}`).toEqual([]);
  });

  it('nested objects: checkout items, invoice lines, subscription items, deleted stubs', async () => {
    const store = t.running.emulator.store;
    const items = [...store.sessionLineItems.values()].flat();
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) expect(schemaErrors('item', wire(i))).toEqual([]);
    for (const inv of store.all('invoice'))
      for (const l of inv.lines.data) expect(schemaErrors('line_item', wire(l))).toEqual([]);
    for (const s of store.all('subscription'))
      for (const si of s.items.data) expect(schemaErrors('subscription_item', wire(si))).toEqual([]);
    const c = await t.stripe.customers.create({});
    expect(schemaErrors('deleted_customer', wire(await t.stripe.customers.del(c.id)))).toEqual([]);
  });

  it('event payloads keep the shape of the object type they carry', () => {
    const store = t.running.emulator.store;
    const byType: Record<string, string> = {
      'checkout.session.': 'checkout.session',
      'payment_intent.': 'payment_intent',
      'charge.dispute.': 'dispute',
      'charge.refund.': 'refund',
      'charge.': 'charge',
      'invoice.': 'invoice',
      'invoice_payment.': 'invoice_payment',
      'customer.subscription.': 'subscription',
      'customer.': 'customer',
      'refund.': 'refund',
      'radar.early_fraud_warning.': 'radar.early_fraud_warning',
    };
    const checked = new Set<string>();
    for (const e of store.all('event')) {
      const prefix = Object.keys(byType).find((p) => e.type.startsWith(p));
      if (!prefix) continue;
      const schema = byType[prefix] as string;
      expect(schemaErrors(schema, e.data.object), e.type).toEqual([]);
      checked.add(e.type);
    }
    expect([...checked]).toEqual(
      expect.arrayContaining([
        'checkout.session.completed',
        'checkout.session.async_payment_succeeded',
        'checkout.session.async_payment_failed',
        'checkout.session.expired',
        'invoice.payment_failed',
        'customer.subscription.updated',
        'charge.dispute.funds_reinstated',
        'radar.early_fraud_warning.created',
      ]),
    );
  });

  it('the webhook receiver got every event', async () => {
    await t.driver.waitForIdle();
    const store = t.running.emulator.store;
    const sent = new Set(rx.received.map((r) => r.event.id));
    const events: Stripe.Event[] = store.all('event') as unknown as Stripe.Event[];
    expect(events.filter((e) => !sent.has(e.id)).map((e) => e.type)).toEqual([]);
  });
});
