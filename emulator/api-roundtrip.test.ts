// The official SDK against the emulator, endpoint by endpoint: every call round-trips and every
// object that comes back validates against Stripe's OpenAPI schema for 2026-10-28.endive.
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaErrors, wire } from './spec/schemas.ts';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;

function valid(schema: string, obj: unknown): void {
  expect(schemaErrors(schema, wire(obj)), `${schema} ${(obj as { id?: string }).id ?? ''}`).toEqual([]);
}

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());

describe('errors and auth', () => {
  it('answers unknown ids with resource_missing 404 and unknown params with parameter_unknown', async () => {
    const missing = await stripe.customers.retrieve('cus_nope').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'id',
      message: "No such customer: 'cus_nope'",
    });
    const unknown = await stripe.checkout.sessions
      .create({ mode: 'payment', payment_method_types: ['card'] } as unknown as Stripe.Checkout.SessionCreateParams)
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'payment_method_types' });
  });

  it('requires an API key and sends request ids', async () => {
    const res = await fetch(`${t.url}/v1/customers`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/did not provide an API key/);
    const ok = await stripe.customers.list({ limit: 1 });
    expect(ok.lastResponse.requestId).toMatch(/^req_/);
    expect(ok.lastResponse.headers['stripe-version']).toBe('2026-10-28.endive');
  });

  it('rejects expanding a non-expandable field', async () => {
    const c = await stripe.customers.create({ email: 'x@example.com' });
    await expect(stripe.customers.retrieve(c.id, { expand: ['email'] })).rejects.toThrow(
      'This property cannot be expanded (email).',
    );
  });
});

describe('customers', () => {
  it('create, retrieve, update (metadata merge), search, list by email, delete', async () => {
    const c = await stripe.customers.create({
      email: 'ada@example.com',
      name: 'Ada',
      metadata: { user_id: 'u_1', tier: 'free' },
    });
    valid('customer', c);
    expect(c.id).toMatch(/^cus_/);
    const updated = await stripe.customers.update(c.id, { name: 'Ada L.', metadata: { tier: '', plan: 'pro' } });
    expect(updated.metadata).toEqual({ user_id: 'u_1', plan: 'pro' });
    valid('customer', updated);
    const found = await stripe.customers.search({ query: "metadata['user_id']:'u_1' AND email:'ada@example.com'" });
    expect(found.data.map((x) => x.id)).toEqual([c.id]);
    const listed = await stripe.customers.list({ email: 'ada@example.com' });
    expect(listed.data.map((x) => x.id)).toEqual([c.id]);
    const deleted = await stripe.customers.del(c.id);
    expect(deleted).toMatchObject({ id: c.id, deleted: true });
    const again = await stripe.customers.retrieve(c.id);
    expect(again.deleted).toBe(true);
  });
});

describe('products and prices', () => {
  it('create with default_price_data, list by lookup_keys, update, archive', async () => {
    const product = await stripe.products.create({
      name: 'Pack 500',
      metadata: { kind: 'pack' },
      default_price_data: { currency: 'eur', unit_amount: 900 },
    });
    valid('product', product);
    const price = await stripe.prices.retrieve(String(product.default_price), { expand: ['product'] });
    valid('price', { ...price, product: (price.product as Stripe.Product).id });
    expect((price.product as Stripe.Product).name).toBe('Pack 500');
    const monthly = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 2500,
      recurring: { interval: 'month' },
      lookup_key: 'pro_monthly_rt',
    });
    valid('price', monthly);
    expect(monthly).toMatchObject({ type: 'recurring', recurring: { interval: 'month', interval_count: 1 } });
    const byKey = await stripe.prices.list({ lookup_keys: ['pro_monthly_rt'] });
    expect(byKey.data.map((p) => p.id)).toEqual([monthly.id]);
    await expect(
      stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 1, lookup_key: 'pro_monthly_rt' }),
    ).rejects.toThrow(/already uses that lookup key/);
    const archived = await stripe.prices.update(monthly.id, { active: false, metadata: { note: 'old' } });
    expect(archived).toMatchObject({ active: false, metadata: { note: 'old' } });
    const p2 = await stripe.products.update(product.id, { description: 'Five hundred credits' });
    expect(p2.description).toBe('Five hundred credits');
    expect((await stripe.products.list({ ids: [product.id] })).data).toHaveLength(1);
    await expect(stripe.products.del(product.id)).rejects.toThrow(/has one or more user-created prices/);
    const lonely = await stripe.products.create({ name: 'Temp' });
    expect(await stripe.products.del(lonely.id)).toMatchObject({ deleted: true });
  });
});

describe('checkout sessions, payment intents, charges', () => {
  it('create a session with inline price_data, list line items, retrieve with expand, list, expire', async () => {
    const s = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { price_data: { currency: 'usd', unit_amount: 1500, product_data: { name: 'Top-up' } }, quantity: 2 },
      ],
      success_url: 'https://app.test/ok?session_id={CHECKOUT_SESSION_ID}',
      client_reference_id: 'user_42',
      metadata: { user_id: 'user_42' },
    });
    valid('checkout.session', s);
    expect(s).toMatchObject({ status: 'open', payment_status: 'unpaid', amount_total: 3000, currency: 'usd' });
    expect(s.url).toBe(`${t.url}/c/pay/${s.id}`);
    const items = await stripe.checkout.sessions.listLineItems(s.id);
    expect(items.data).toHaveLength(1);
    valid('item', items.data[0]);
    expect(items.data[0]).toMatchObject({ quantity: 2, amount_total: 3000, description: 'Top-up' });
    const withItems = await stripe.checkout.sessions.retrieve(s.id, { expand: ['line_items'] });
    expect(withItems.line_items?.data[0]?.price?.unit_amount).toBe(1500);
    const listed = await stripe.checkout.sessions.list({ status: 'open', limit: 100 });
    expect(listed.data.some((x) => x.id === s.id)).toBe(true);
    const expired = await stripe.checkout.sessions.expire(s.id);
    expect(expired.status).toBe('expired');
    await expect(stripe.checkout.sessions.expire(s.id)).rejects.toThrow(/can be expired/);
  });

  it('validates mode against the prices', async () => {
    const { plan, pack } = await seedCatalog(stripe);
    await expect(
      stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: plan.id, quantity: 1 }] }),
    ).rejects.toThrow(/passed a recurring price/);
    await expect(
      stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: pack.id, quantity: 1 }] }),
    ).rejects.toThrow(/at least one recurring price/);
  });

  it('payment intents: create, confirm (success and decline), cancel, list; charges retrieve/update/list', async () => {
    const customer = await stripe.customers.create({ email: 'pi@example.com' });
    const pi = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'eur',
      customer: customer.id,
      metadata: { order: 'o1' },
    });
    valid('payment_intent', pi);
    expect(pi.status).toBe('requires_payment_method');
    const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    expect(confirmed.status).toBe('succeeded');
    valid('payment_intent', confirmed);
    const charge = await stripe.charges.retrieve(String(confirmed.latest_charge), {
      expand: ['balance_transaction', 'refunds'],
    });
    expect(charge).toMatchObject({
      status: 'succeeded',
      paid: true,
      amount: 2000,
      metadata: { order: 'o1' },
      customer: customer.id,
    });
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBe(Math.round(2000 * 0.029) + 30);
    expect(charge.refunds?.data).toEqual([]);
    valid('balance_transaction', charge.balance_transaction);
    const pm = await stripe.paymentMethods.retrieve(String(charge.payment_method));
    valid('payment_method', pm);
    const updated = await stripe.charges.update(charge.id, { metadata: { note: 'vip' } });
    expect(updated.metadata).toEqual({ order: 'o1', note: 'vip' });
    valid('charge', updated);
    expect((await stripe.charges.list({ payment_intent: pi.id })).data.map((c) => c.id)).toEqual([charge.id]);
    const expanded = await stripe.charges.list({
      customer: customer.id,
      expand: ['data.customer', 'data.payment_intent'],
    });
    expect(expanded.data[0]?.customer).toMatchObject({ id: customer.id, email: 'pi@example.com' });
    expect(expanded.data[0]?.payment_intent).toMatchObject({ id: pi.id, status: 'succeeded' });

    const declined = await stripe.paymentIntents.create({ amount: 900, currency: 'eur', customer: customer.id });
    const err = await stripe.paymentIntents
      .confirm(declined.id, { payment_method: 'pm_card_chargeDeclined' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(err).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    const after = await stripe.paymentIntents.retrieve(declined.id);
    expect(after.status).toBe('requires_payment_method');
    expect(after.last_payment_error?.code).toBe('card_declined');
    valid('payment_intent', after);
    const canceled = await stripe.paymentIntents.cancel(declined.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data).toHaveLength(2);
    const bts = await stripe.balanceTransactions.list({ source: charge.id });
    expect(bts.data).toHaveLength(1);
  });
});

describe('subscriptions, invoices, invoice payments', () => {
  it('create via API with a saved card, list, update metadata and cancel_at_period_end, cancel', async () => {
    const { plan } = await seedCatalog(stripe);
    const customer = await stripe.customers.create({ email: 'sub@example.com' });
    const pi = await stripe.paymentIntents.create({
      amount: 100,
      currency: 'eur',
      customer: customer.id,
      confirm: true,
      payment_method: 'pm_card_visa',
    });
    await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: String(pi.payment_method) },
    });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: plan.id }],
      metadata: { user_id: 'u_sub' },
      expand: ['latest_invoice.payments'],
    });
    expect(sub.status).toBe('active');
    const inv = sub.latest_invoice as Stripe.Invoice;
    expect(inv).toMatchObject({ status: 'paid', billing_reason: 'subscription_create', amount_paid: 2000 });
    expect(inv.parent?.subscription_details).toEqual({ subscription: sub.id, metadata: { user_id: 'u_sub' } });
    expect(inv.payments?.data[0]).toMatchObject({
      status: 'paid',
      amount_paid: 2000,
      payment: { type: 'payment_intent' },
    });
    valid('invoice', { ...inv, payments: undefined });
    valid('invoice_payment', inv.payments?.data[0]);
    const plain = await stripe.subscriptions.retrieve(sub.id);
    valid('subscription', plain);
    valid('subscription_item', plain.items.data[0]);
    expect(plain.items.data[0]?.current_period_end).toBeGreaterThan(plain.items.data[0]?.current_period_start ?? 0);

    const lines = await stripe.invoices.listLineItems(inv.id);
    valid('line_item', lines.data[0]);
    expect(lines.data[0]?.pricing?.price_details?.price).toBe(plan.id);
    expect((await stripe.invoices.list({ subscription: sub.id })).data.map((i) => i.id)).toEqual([inv.id]);
    const payments = await stripe.invoicePayments.list({ invoice: inv.id });
    expect(payments.data).toHaveLength(1);
    expect((await stripe.invoicePayments.retrieve(payments.data[0]?.id ?? '')).invoice).toBe(inv.id);

    const upd = await stripe.subscriptions.update(sub.id, { metadata: { note: 'x' }, cancel_at_period_end: true });
    expect(upd).toMatchObject({ cancel_at_period_end: true, metadata: { user_id: 'u_sub', note: 'x' } });
    expect(upd.cancel_at).toBe(upd.items.data[0]?.current_period_end);
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(1);
    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe('canceled');
    expect((await stripe.subscriptions.list({ customer: customer.id })).data).toHaveLength(0);
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(1);
  });

  it('without a payment method the first invoice stays open and the subscription incomplete; invoices.pay settles out of band', async () => {
    const { plan } = await seedCatalog(stripe);
    const customer = await stripe.customers.create({ email: 'nopm@example.com' });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: plan.id }] });
    expect(sub.status).toBe('incomplete');
    const inv = await stripe.invoices.retrieve(String(sub.latest_invoice));
    expect(inv).toMatchObject({ status: 'open', attempt_count: 1 });
    const paid = await stripe.invoices.pay(inv.id, { paid_out_of_band: true });
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
  });
});

describe('refunds', () => {
  it('create (charge or payment_intent), retrieve, update, list; refuse over-refunds', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
    });
    const r1 = await stripe.refunds.create({
      payment_intent: pi.id,
      amount: 1000,
      reason: 'requested_by_customer',
      metadata: { ledger: 'l1' },
    });
    valid('refund', r1);
    expect(r1).toMatchObject({ status: 'succeeded', amount: 1000, charge: pi.latest_charge, payment_intent: pi.id });
    await expect(stripe.refunds.create({ charge: String(pi.latest_charge), amount: 4001 })).rejects.toThrow(
      /greater than unrefunded amount on charge \(EUR 40\.00\)/,
    );
    const r2 = await stripe.refunds.create({ charge: String(pi.latest_charge) });
    expect(r2.amount).toBe(4000);
    const charge = await stripe.charges.retrieve(String(pi.latest_charge), { expand: ['refunds'] });
    expect(charge).toMatchObject({ amount_refunded: 5000, refunded: true });
    expect(charge.refunds?.data.map((r) => r.id)).toEqual([r2.id, r1.id]);
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({
      code: 'charge_already_refunded',
    });
    expect((await stripe.refunds.update(r1.id, { metadata: { note: 'x' } })).metadata).toEqual({
      ledger: 'l1',
      note: 'x',
    });
    expect((await stripe.refunds.list({ charge: charge.id })).data).toHaveLength(2);
    expect((await stripe.refunds.retrieve(r1.id)).amount).toBe(1000);
    await expect(stripe.refunds.cancel(r1.id)).rejects.toThrow(/requires_action/);
  });
});

describe('disputes and files', () => {
  it('upload evidence (multipart), stage with submit=false, submit, close', async () => {
    const pi = await stripe.paymentIntents.create({
      amount: 3000,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
    });
    const dispute = await t.driver.openDispute(String(pi.latest_charge), 'product_not_received');
    valid('dispute', dispute);
    expect(dispute).toMatchObject({
      status: 'needs_response',
      amount: 3000,
      reason: 'product_not_received',
      payment_intent: pi.id,
    });
    const bt = dispute.balance_transactions[0];
    expect(bt).toMatchObject({ amount: -3000, fee: 1500, type: 'adjustment' });

    const file = await stripe.files.create({
      purpose: 'dispute_evidence',
      file: { data: Buffer.from('%PDF-1.4 receipt'), name: 'receipt.pdf', type: 'application/pdf' },
    });
    valid('file', file);
    expect(file).toMatchObject({ purpose: 'dispute_evidence', size: 16, type: 'pdf', filename: 'receipt.pdf' });
    const contents = await fetch(file.url as string);
    expect(await contents.text()).toBe('%PDF-1.4 receipt');
    expect((await stripe.files.retrieve(file.id)).id).toBe(file.id);
    expect((await stripe.files.list({ purpose: 'dispute_evidence' })).data.some((f) => f.id === file.id)).toBe(true);

    const staged = await stripe.disputes.update(dispute.id, {
      evidence: { uncategorized_text: 'Delivered by email on day 1', receipt: file.id },
      metadata: { case: 'c1' },
      submit: false,
    });
    valid('dispute', staged);
    expect(staged).toMatchObject({
      status: 'needs_response',
      evidence_details: { has_evidence: true, submission_count: 0 },
    });
    expect(staged.evidence).toMatchObject({ receipt: file.id, uncategorized_text: 'Delivered by email on day 1' });
    await expect(stripe.disputes.update(dispute.id, { evidence: { receipt: 'file_nope' } })).rejects.toMatchObject({
      statusCode: 404,
    });
    const submitted = await stripe.disputes.update(dispute.id, { evidence: { product_description: 'AI credits' } });
    expect(submitted).toMatchObject({
      status: 'under_review',
      evidence_details: { submission_count: 1, submission_method: 'manual' },
    });
    await expect(stripe.disputes.update(dispute.id, { evidence: { product_description: 'again' } })).rejects.toThrow(
      /only once/,
    );
    expect((await stripe.disputes.list({ charge: String(pi.latest_charge) })).data.map((d) => d.id)).toEqual([
      dispute.id,
    ]);
    const closed = await stripe.disputes.close(dispute.id);
    expect(closed.status).toBe('lost');
    expect((await stripe.disputes.retrieve(dispute.id, { expand: ['charge'] })).charge).toMatchObject({
      disputed: true,
    });
  });
});

describe('events', () => {
  it('list with type wildcard, types[], created range; retrieve; pagination across pages', async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    for (let i = 0; i < 5; i++) await stripe.customers.create({ email: `ev${i}@example.com` });
    const created = await stripe.events.list({ type: 'customer.*', created: { gte: before }, limit: 100 });
    expect(created.data.length).toBeGreaterThanOrEqual(5);
    expect(created.data.every((e) => e.type.startsWith('customer.'))).toBe(true);
    for (const e of created.data.slice(0, 3)) valid('event', e);
    const byTypes = await stripe.events.list({ types: ['customer.created', 'refund.created'], limit: 100 });
    expect(new Set(byTypes.data.map((e) => e.type))).toEqual(new Set(['customer.created', 'refund.created']));
    const firstPage = await stripe.events.list({ type: 'customer.created', limit: 2 });
    const secondPage = await stripe.events.list({
      type: 'customer.created',
      limit: 2,
      starting_after: firstPage.data[1]?.id,
    });
    expect(firstPage.has_more).toBe(true);
    expect(secondPage.data[0]?.created).toBeLessThanOrEqual(firstPage.data[1]?.created ?? 0);
    expect(new Set([...firstPage.data, ...secondPage.data].map((e) => e.id)).size).toBe(4);
    const seen: string[] = [];
    for await (const e of stripe.events.list({ type: 'customer.created', limit: 3 })) seen.push(e.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    const one = await stripe.events.retrieve(firstPage.data[0]?.id ?? '');
    expect(one).toMatchObject({ object: 'event', api_version: '2026-10-28.endive', type: 'customer.created' });
  });
});

describe('radar', () => {
  it('value lists and items CRUD, early fraud warnings list', async () => {
    const list = await stripe.radar.valueLists.create({
      alias: 'support_email_block_list',
      name: 'Blocked by support',
      item_type: 'email',
    });
    valid('radar.value_list', list);
    const item = await stripe.radar.valueListItems.create({ value_list: list.id, value: 'fraud@example.com' });
    valid('radar.value_list_item', item);
    await expect(stripe.radar.valueListItems.create({ value_list: list.id, value: 'not-an-email' })).rejects.toThrow(
      /Invalid value/,
    );
    expect((await stripe.radar.valueListItems.list({ value_list: list.id })).data.map((i) => i.id)).toEqual([item.id]);
    const withItems = await stripe.radar.valueLists.retrieve(list.id);
    expect(withItems.list_items.data.map((i) => i.value)).toEqual(['fraud@example.com']);
    expect((await stripe.radar.valueLists.list({ contains: 'fraud@example.com' })).data.map((l) => l.id)).toEqual([
      list.id,
    ]);
    expect((await stripe.radar.valueLists.update(list.id, { name: 'Renamed' })).name).toBe('Renamed');
    expect(await stripe.radar.valueListItems.del(item.id)).toMatchObject({ deleted: true });
    expect(await stripe.radar.valueLists.del(list.id)).toMatchObject({ deleted: true });

    const pi = await stripe.paymentIntents.create({
      amount: 1200,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_visa',
    });
    const efw = await t.driver.createEarlyFraudWarning(String(pi.latest_charge), 'made_with_stolen_card');
    valid('radar.early_fraud_warning', efw);
    const listed = await stripe.radar.earlyFraudWarnings.list({ charge: String(pi.latest_charge) });
    expect(listed.data.map((w) => w.id)).toEqual([efw.id]);
    expect((await stripe.radar.earlyFraudWarnings.retrieve(efw.id)).actionable).toBe(true);
  });
});

describe('webhook endpoints', () => {
  it('create returns the secret once; retrieve/update/list/delete', async () => {
    const e = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hook',
      enabled_events: ['charge.succeeded'],
    });
    expect(e.secret).toMatch(/^whsec_/);
    expect(e.api_version).toBe('2026-10-28.endive');
    const got = await stripe.webhookEndpoints.retrieve(e.id);
    expect(got.secret).toBeUndefined();
    const updated = await stripe.webhookEndpoints.update(e.id, { enabled_events: ['*'], disabled: true });
    expect(updated).toMatchObject({ enabled_events: ['*'], status: 'disabled' });
    await expect(
      stripe.webhookEndpoints.update(e.id, { enabled_events: ['nope.event' as 'charge.succeeded'] }),
    ).rejects.toThrow(/not a known event type/);
    expect((await stripe.webhookEndpoints.list()).data.some((x) => x.id === e.id)).toBe(true);
    expect(await stripe.webhookEndpoints.del(e.id)).toMatchObject({ deleted: true });
  });
});
