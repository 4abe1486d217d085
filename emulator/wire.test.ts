// The wire format pieces on their own: form and multipart parsing, pagination, idempotency,
// signatures (checked against the SDK's own implementation) and billing-interval arithmetic.
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { addInterval } from './clock.ts';
import { computeSignature, signatureHeader } from './webhooks/sign.ts';
import { encodeForm, parseForm } from './wire/form.ts';
import { fingerprint, IdempotencyStore } from './wire/idempotency.ts';
import { paginate } from './wire/list.ts';
import { parseMultipart } from './wire/multipart.ts';
import { applyMetadata, Params } from './wire/params.ts';

describe('form encoding', () => {
  it('parses nested keys, indexed and appended arrays, and decodes values', () => {
    const parsed = parseForm(
      'mode=payment&line_items[0][price]=price_1&line_items[0][quantity]=2&line_items[1][price_data][currency]=eur' +
        '&expand[]=line_items&expand[]=customer&metadata[user_id]=u%201&metadata[0]=zero&success_url=https%3A%2F%2Fx.test%2Fok%3Fa%3D1&note=a+b',
    );
    expect(parsed).toEqual({
      mode: 'payment',
      line_items: [{ price: 'price_1', quantity: '2' }, { price_data: { currency: 'eur' } }],
      expand: ['line_items', 'customer'],
      metadata: { user_id: 'u 1', '0': 'zero' },
      success_url: 'https://x.test/ok?a=1',
      note: 'a b',
    });
  });

  it('round-trips what the SDK-style encoder produces, including bracket-encoded keys', () => {
    const data = {
      types: ['charge.succeeded', 'refund.created'],
      created: { gte: 10 },
      evidence: { uncategorized_text: 'x&y=z' },
    };
    expect(parseForm(encodeForm(data))).toEqual({
      types: ['charge.succeeded', 'refund.created'],
      created: { gte: '10' },
      evidence: { uncategorized_text: 'x&y=z' },
    });
    expect(parseForm('types%5B0%5D=a&types%5B1%5D=b')).toEqual({ types: ['a', 'b'] });
  });

  it('treats an empty value as "unset" for metadata keys and whole metadata', () => {
    expect(applyMetadata({ a: '1', b: '2' }, { a: '', c: '3' })).toEqual({ b: '2', c: '3' });
    expect(applyMetadata({ a: '1' }, '')).toEqual({});
    expect(() => applyMetadata({}, { ['k'.repeat(41)]: 'v' })).toThrow(/40 characters/);
  });

  it('rejects unknown parameters and malformed integers the way Stripe words it', () => {
    expect(() => Params.strict(parseForm('payment_method_types[0]=card'), ['mode'])).toThrow(
      'Received unknown parameter: payment_method_types',
    );
    const p = Params.strict(parseForm('amount=12x&expand[0]=a'), ['amount']);
    expect(() => p.int('amount')).toThrow('Invalid integer: 12x');
    expect(p.expand()).toEqual(['a']);
  });
});

describe('multipart', () => {
  it('parses the SDK file upload body: text params and the file with its name and type', () => {
    const boundary = 'b0undary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="receipt.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x00, 0xff]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const { params, files } = parseMultipart(body, `multipart/form-data; boundary=${boundary}`);
    expect(params).toEqual({ purpose: 'dispute_evidence' });
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ field: 'file', filename: 'receipt.pdf', contentType: 'application/pdf' });
    expect([...(files[0]?.data ?? [])]).toEqual([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x00, 0xff]);
  });
});

describe('pagination', () => {
  const items = Array.from({ length: 7 }, (_, i) => ({ id: `obj_${7 - i}` })); // newest first
  const page = (q: string) => paginate(items, new Params(parseForm(q)), '/v1/x');

  it('pages forward with starting_after and backward with ending_before', () => {
    const first = page('limit=3');
    expect(first.data.map((o) => o.id)).toEqual(['obj_7', 'obj_6', 'obj_5']);
    expect(first.has_more).toBe(true);
    const second = page('limit=3&starting_after=obj_5');
    expect(second.data.map((o) => o.id)).toEqual(['obj_4', 'obj_3', 'obj_2']);
    const last = page('limit=3&starting_after=obj_2');
    expect(last).toMatchObject({ has_more: false, url: '/v1/x', object: 'list' });
    expect(last.data.map((o) => o.id)).toEqual(['obj_1']);
    const back = page('limit=2&ending_before=obj_4');
    expect(back.data.map((o) => o.id)).toEqual(['obj_6', 'obj_5']);
    expect(back.has_more).toBe(true);
  });

  it('validates limit and cursors', () => {
    expect(() => page('limit=0')).toThrow('greater than or equal to 1');
    expect(() => page('limit=101')).toThrow('less than or equal to 100');
    expect(() => page('starting_after=obj_nope')).toThrow("No such object: 'obj_nope'");
    expect(page('').data).toHaveLength(7);
  });
});

describe('idempotency store', () => {
  it('replays the first result, rejects other params, reports in-flight keys', () => {
    const store = new IdempotencyStore();
    const a = fingerprint('POST', '/v1/refunds', { charge: 'ch_1' });
    const b = fingerprint('POST', '/v1/refunds', { charge: 'ch_2' });
    expect(store.begin('sk', 'k1', a)).toEqual({ kind: 'new' });
    const inFlight = store.begin('sk', 'k1', a);
    expect(inFlight.kind === 'error' && inFlight.error.status).toBe(409);
    store.complete('sk', 'k1', 200, '{"id":"re_1"}');
    expect(store.begin('sk', 'k1', a)).toEqual({ kind: 'replay', status: 200, body: '{"id":"re_1"}' });
    const other = store.begin('sk', 'k1', b);
    expect(other.kind === 'error' && other.error.body.type).toBe('idempotency_error');
    expect(store.begin('other-key-scope', 'k1', b)).toEqual({ kind: 'new' });
  });

  it('fingerprints params independently of key order', () => {
    expect(fingerprint('POST', '/p', { a: '1', b: { c: '2', d: '3' } })).toBe(
      fingerprint('POST', '/p', { b: { d: '3', c: '2' }, a: '1' }),
    );
  });
});

describe('webhook signatures', () => {
  it("produce exactly the SDK's test header and verify with constructEvent, with one v1 per secret", () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'charge.succeeded' });
    const t = Math.floor(Date.now() / 1000);
    const sdk = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_a', timestamp: t });
    expect(signatureHeader(payload, ['whsec_a'], t)).toBe(sdk);
    const rolled = signatureHeader(payload, ['whsec_new', 'whsec_old'], t);
    expect(rolled).toBe(
      `t=${t},v1=${computeSignature(payload, 'whsec_new', t)},v1=${computeSignature(payload, 'whsec_old', t)}`,
    );
    expect(Stripe.webhooks.constructEvent(payload, rolled, 'whsec_old').id).toBe('evt_1');
    expect(() => Stripe.webhooks.constructEvent(payload, rolled, 'whsec_other')).toThrow(/No signatures found/);
  });
});

describe('billing intervals', () => {
  it('adds calendar months in UTC and clamps to the end of shorter months', () => {
    const jan31 = Date.UTC(2026, 0, 31, 12) / 1000;
    expect(new Date(addInterval(jan31, 'month', 1) * 1000).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(new Date(addInterval(jan31, 'year', 1) * 1000).toISOString()).toBe('2027-01-31T12:00:00.000Z');
    expect(addInterval(jan31, 'week', 2) - jan31).toBe(14 * 86_400);
  });
});
