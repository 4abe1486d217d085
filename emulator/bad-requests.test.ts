// Bad requests behave like Stripe's: a 400 with Stripe's error envelope, and nothing changes:
// no field of the object, no event, no object created on the side. Driven with the official SDK.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedCatalog, startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;
let catalog: Awaited<ReturnType<typeof seedCatalog>>;

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());
beforeEach(async () => {
  await t.driver.reset();
  catalog = await seedCatalog(stripe);
});

async function lastEventId(): Promise<string | undefined> {
  return (await stripe.events.list({ limit: 1 })).data[0]?.id;
}

/** The request fails with `code` on `param`, and afterwards `read()` and the event log are as before. */
async function expectRejectedChangingNothing(
  request: () => Promise<unknown>,
  read: () => Promise<unknown>,
  error: { code?: string; param?: string; statusCode?: number },
): Promise<void> {
  const before = JSON.stringify(await read());
  const mark = await lastEventId();
  const err = await request().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Stripe.errors.StripeError);
  expect(err).toMatchObject({ statusCode: 400, ...error });
  expect(JSON.stringify(await read())).toBe(before);
  expect(await lastEventId()).toBe(mark);
}

async function paidCharge(): Promise<Stripe.Charge> {
  const pi = await stripe.paymentIntents.create({
    amount: 3000,
    currency: 'eur',
    confirm: true,
    payment_method: 'pm_card_visa',
  });
  return stripe.charges.retrieve(String(pi.latest_charge));
}

describe('an update that fails validation changes nothing', () => {
  it('dispute evidence: a rejected request keeps none of its fields', async () => {
    const dispute = await t.driver.openDispute((await paidCharge()).id, 'product_not_received');
    const read = () => stripe.disputes.retrieve(dispute.id);
    // A valid text field next to an unknown one, a missing file, an over-long text, a bad enum.
    await expectRejectedChangingNothing(
      () =>
        stripe.disputes.update(dispute.id, {
          evidence: { product_description: 'AI credits', planet: 'mars' } as Stripe.DisputeUpdateParams.Evidence,
          metadata: { case: 'c1' },
        }),
      read,
      { code: 'parameter_unknown', param: 'evidence[planet]' },
    );
    await expectRejectedChangingNothing(
      () =>
        stripe.disputes.update(dispute.id, {
          evidence: { uncategorized_text: 'Delivered', receipt: 'file_nope' },
          submit: false,
        }),
      read,
      { code: 'resource_missing', statusCode: 404, param: 'evidence[receipt]' },
    );
    expect((await read()).evidence.uncategorized_text).toBeNull();
    await expectRejectedChangingNothing(
      () =>
        stripe.disputes.update(dispute.id, {
          evidence: { uncategorized_text: 'x'.repeat(150_001) },
          submit: false,
        }),
      read,
      { param: 'evidence' },
    );
    await expectRejectedChangingNothing(
      () =>
        stripe.disputes.update(dispute.id, {
          evidence: { product_description: 'AI credits' },
          intended_submission_method: 'by_fax' as Stripe.DisputeUpdateParams.IntendedSubmissionMethod,
        }),
      read,
      { param: 'intended_submission_method' },
    );
    expect(await read()).toMatchObject({
      status: 'needs_response',
      metadata: {},
      evidence: { product_description: null, uncategorized_text: null, receipt: null },
      evidence_details: { has_evidence: false, submission_count: 0 },
    });
  });

  it('customers, products, prices, subscriptions, invoices, charges, webhook endpoints, value lists', async () => {
    const customer = await stripe.customers.create({ email: 'a@example.com', name: 'Ann' });
    await expectRejectedChangingNothing(
      () => stripe.customers.update(customer.id, { name: 'Bob', email: 'not-an-email' }),
      () => stripe.customers.retrieve(customer.id),
      { code: 'email_invalid', param: 'email' },
    );
    await expectRejectedChangingNothing(
      () =>
        stripe.customers.update(customer.id, {
          name: 'Bob',
          invoice_settings: { default_payment_method: 'pm_nope' },
        }),
      () => stripe.customers.retrieve(customer.id),
      { code: 'resource_missing', statusCode: 404 },
    );
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({ name: 'Ann' });

    const { product, pack, plan } = catalog;
    await expectRejectedChangingNothing(
      () => stripe.products.update(product.id, { name: 'Renamed', default_price: 'price_nope' }),
      () => stripe.products.retrieve(product.id),
      { code: 'resource_missing', param: 'default_price', statusCode: 404 },
    );
    expect((await stripe.products.retrieve(product.id)).name).toBe('Creditdesk AI');

    await expectRejectedChangingNothing(
      () => stripe.prices.update(pack.id, { nickname: 'n', lookup_key: String(plan.lookup_key) }),
      () => Promise.all([stripe.prices.retrieve(pack.id), stripe.prices.retrieve(plan.id)]),
      { param: 'lookup_key' },
    );

    // Without a payment method the subscription stays incomplete, which is enough to update it.
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: plan.id }] });
    await expectRejectedChangingNothing(
      () =>
        stripe.subscriptions.update(sub.id, {
          metadata: { plan: 'growth' },
          cancel_at_period_end: true,
          items: [{ id: 'si_nope', price: plan.id }],
        }),
      () => stripe.subscriptions.retrieve(sub.id),
      { code: 'resource_missing', param: 'items[0][id]' },
    );
    await expectRejectedChangingNothing(
      () => stripe.subscriptions.update(sub.id, { cancellation_details: { comment: 'x', planet: 'mars' } as never }),
      () => stripe.subscriptions.retrieve(sub.id),
      { code: 'parameter_unknown', param: 'cancellation_details[planet]' },
    );
    const invoice = String(sub.latest_invoice);
    await expectRejectedChangingNothing(
      () =>
        stripe.invoices.update(invoice, {
          metadata: { a: 'b' },
          description: { bad: 'x' } as unknown as string,
        }),
      () => stripe.invoices.retrieve(invoice),
      { code: 'parameter_invalid_string', param: 'description' },
    );

    const charge = await paidCharge();
    await expectRejectedChangingNothing(
      () => stripe.charges.update(charge.id, { metadata: { a: 'b' }, description: { x: 'y' } as unknown as string }),
      () => stripe.charges.retrieve(charge.id),
      { code: 'parameter_invalid_string', param: 'description' },
    );

    const endpoint = await stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['*'] });
    await expectRejectedChangingNothing(
      () => stripe.webhookEndpoints.update(endpoint.id, { description: 'new', url: 'ftp://example.com' }),
      () => stripe.webhookEndpoints.retrieve(endpoint.id),
      { param: 'url' },
    );

    const list = await stripe.radar.valueLists.create({ alias: 'block_emails', name: 'Blocked', item_type: 'email' });
    await expectRejectedChangingNothing(
      () => stripe.radar.valueLists.update(list.id, { name: 'Renamed', metadata: { ['k'.repeat(41)]: 'v' } }),
      () => stripe.radar.valueLists.retrieve(list.id),
      { param: `metadata[${'k'.repeat(41)}]` },
    );
  });
});

describe('unknown nested parameters, invalid emails and currencies', () => {
  it('address[planet] on customers is parameter_unknown, on create and update', async () => {
    const address = { line1: '1 Main St', planet: 'mars' } as Stripe.AddressParam;
    const created = stripe.customers.create({ email: 'a@example.com', address });
    await expect(created).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
      code: 'parameter_unknown',
      param: 'address[planet]',
      message: 'Received unknown parameter: address[planet]',
    });
    expect((await stripe.customers.list()).data).toHaveLength(0);
    const c = await stripe.customers.create({ address: { line1: '1 Main St', country: 'DE' } });
    expect(c.address).toMatchObject({ line1: '1 Main St', country: 'DE', city: null });
    await expectRejectedChangingNothing(
      () => stripe.customers.update(c.id, { name: 'X', shipping: { name: 'X', address, phone: '1' } }),
      () => stripe.customers.retrieve(c.id),
      { code: 'parameter_unknown', param: 'shipping[address][planet]' },
    );
  });

  it('invalid emails are email_invalid wherever an email is taken', async () => {
    await expect(stripe.customers.create({ email: 'ann@' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'email_invalid',
      param: 'email',
    });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: catalog.pack.id, quantity: 1 }],
        customer_email: 'no at sign',
      }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'email_invalid', param: 'customer_email' });
    await expect(
      stripe.paymentIntents.create({ amount: 1000, currency: 'eur', receipt_email: 'x@y' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'email_invalid', param: 'receipt_email' });
    expect((await stripe.customers.list()).data).toHaveLength(0);
    expect((await stripe.checkout.sessions.list()).data).toHaveLength(0);
    expect((await stripe.paymentIntents.list()).data).toHaveLength(0);
  });

  it('invalid currencies are parameter_invalid, and nothing is created on the side', async () => {
    const counts = async () => ({
      products: (await stripe.products.list({ limit: 100 })).data.length,
      prices: (await stripe.prices.list({ limit: 100 })).data.length,
    });
    const before = await counts();
    const mark = await lastEventId();
    await expect(
      stripe.prices.create({ product: catalog.product.id, currency: 'xyz', unit_amount: 100 }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_invalid', param: 'currency' });
    await expect(
      stripe.prices.create({ product_data: { name: 'Side product' }, currency: 'eurr', unit_amount: 100 }),
    ).rejects.toMatchObject({ code: 'parameter_invalid', param: 'currency' });
    await expect(
      stripe.products.create({ name: 'P', default_price_data: { currency: 'abc', unit_amount: 100 } }),
    ).rejects.toMatchObject({ code: 'parameter_invalid', param: 'default_price_data[currency]' });
    await expect(
      stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [
          { price_data: { currency: 'eur', unit_amount: 500, product_data: { name: 'Inline' } }, quantity: 1 },
          { price_data: { currency: 'eu', unit_amount: 500, product: catalog.product.id }, quantity: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: 'parameter_invalid', param: 'line_items[1][price_data][currency]' });
    await expect(stripe.paymentIntents.create({ amount: 1000, currency: 'zzz' })).rejects.toMatchObject({
      code: 'parameter_invalid',
      param: 'currency',
    });
    expect(await counts()).toEqual(before);
    expect(await lastEventId()).toBe(mark);
    // Upper case is accepted and stored lower case, as Stripe does.
    expect((await stripe.paymentIntents.create({ amount: 1000, currency: 'EUR' })).currency).toBe('eur');
  });

  it("the error body is Stripe's envelope, and a rejected key can be reused", async () => {
    const res = await fetch(`${t.url}/v1/customers`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer sk_test_emulator_tests',
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': 'k1',
      },
      body: 'email=bad&address[planet]=mars',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'parameter_unknown',
        param: 'address[planet]',
        message: 'Received unknown parameter: address[planet]',
        doc_url: 'https://stripe.com/docs/error-codes/parameter-unknown',
      },
    });
    // Validation failures are not stored under the key (Stripe docs): the corrected request runs.
    const ok = await stripe.customers.create({ email: 'good@example.com' }, { idempotencyKey: 'k1' });
    expect(ok.email).toBe('good@example.com');
  });
});
