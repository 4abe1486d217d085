// Idempotency-Key replay through the official SDK and raw HTTP, as Stripe documents it.
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestEmulator, type TestEmulator } from './testing.ts';

let t: TestEmulator;
let stripe: Stripe;

beforeAll(async () => {
  t = await startTestEmulator();
  stripe = t.stripe;
});
afterAll(() => t.stop());
beforeEach(() => t.driver.reset());

function post(path: string, body: string, key: string): Promise<Response> {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer sk_test_emulator_tests',
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': key,
    },
    body,
  });
}

describe('Idempotency-Key', () => {
  it('same key and params: the same response, replayed, with no second side effect', async () => {
    const a = await stripe.customers.create(
      { email: 'same@example.com', metadata: { n: '1' } },
      { idempotencyKey: 'cust-1' },
    );
    const b = await stripe.customers.create(
      { email: 'same@example.com', metadata: { n: '1' } },
      { idempotencyKey: 'cust-1' },
    );
    expect(b.id).toBe(a.id);
    expect(b).toEqual(a);
    expect(a.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(b.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(b.lastResponse.headers['idempotency-key']).toBe('cust-1');
    expect((await stripe.customers.list()).data).toHaveLength(1);
    const events = await stripe.events.list({ type: 'customer.created' });
    expect(events.data).toHaveLength(1);
    expect(events.data[0]?.request).toEqual({ id: a.lastResponse.requestId, idempotency_key: 'cust-1' });
  });

  it('same key with different params: 400 idempotency_error', async () => {
    await stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'cust-2' });
    const err = await stripe.customers
      .create({ email: 'two@example.com' }, { idempotencyKey: 'cust-2' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    expect((err as Error).message).toMatch(/can only be used with the same parameters/);
    expect((await stripe.customers.list()).data).toHaveLength(1);
  });

  it('the same key on another endpoint is a different request too', async () => {
    await stripe.customers.create({}, { idempotencyKey: 'shared' });
    await expect(stripe.products.create({ name: 'x' }, { idempotencyKey: 'shared' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('errors raised while executing are replayed; parameter validation failures are not stored', async () => {
    const missing = await stripe.refunds
      .create({ charge: 'ch_missing0001' }, { idempotencyKey: 'r-1' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const replay = await post('/v1/refunds', 'charge=ch_missing0001', 'r-1');
    expect(replay.status).toBe(404);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const invalid = await post('/v1/payment_intents', 'amount=abc&currency=eur', 'pi-invalid');
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('parameter_invalid_integer');
    const fixed = await post('/v1/payment_intents', 'amount=1000&currency=eur', 'pi-invalid');
    expect(fixed.status).toBe(200);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a key whose first request is still running gets 409', async () => {
    await t.driver.setFault({
      target: 'api',
      match: { method: 'POST', path: '/v1/customers' },
      latency_ms: 300,
      times: 1,
    });
    const slow = post('/v1/customers', 'email=a%40example.com', 'busy');
    await new Promise((r) => setTimeout(r, 100));
    const second = await post('/v1/customers', 'email=a%40example.com', 'busy');
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { type: string } }).error.type).toBe('idempotency_error');
    expect((await slow).status).toBe(200);
    const third = await post('/v1/customers', 'email=a%40example.com', 'busy');
    expect(third.headers.get('idempotent-replayed')).toBe('true');
  });

  it('keys are scoped to the API key', async () => {
    const other = new Stripe('sk_test_other_account', { host: '127.0.0.1', port: t.running.port, protocol: 'http' });
    const a = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'scoped' });
    const b = await other.customers.create({ email: 'a@example.com' }, { idempotencyKey: 'scoped' });
    expect(b.id).not.toBe(a.id);
  });
});
