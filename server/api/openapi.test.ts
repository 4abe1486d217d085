// The OpenAPI document is a valid OpenAPI 3.1 document, and it tells the truth: every route is
// exercised for real (success and each error we can provoke) and every answer must validate
// against the schema the document gives for that operation and status.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorHarness, type EmulatorHarness } from '../../test/stripe/emulator-harness.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';
import { SERVICE_API_OPERATIONS } from './openapi.ts';

const KEY = 'openapi-test-service-key-0123456789';
const DOC_ID = 'https://creditdesk.invalid/openapi.json';
let h: EmulatorHarness;
let doc: Record<string, unknown> & { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
/** operationId -> statuses seen, to prove each operation was exercised. */
const seen = new Map<string, Set<number>>();

beforeAll(async () => {
  h = await createEmulatorHarness({ env: { SERVICE_API_KEY: KEY } });
  await h.prisma.feature.createMany({
    data: [
      { key: 'chat', name: 'Chat', creditCost: 1 },
      { key: 'video', name: 'Video', creditCost: 10 },
    ],
  });
  const res = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
  ajv.addSchema({ ...doc, $id: DOC_ID });
});
afterAll(async () => {
  await h?.close();
});

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

/** Calls the route and validates the answer against the document's schema for its status. */
async function call(
  method: 'GET' | 'PUT' | 'POST',
  template: string,
  params: Record<string, string>,
  body?: unknown,
  key: string | null = KEY,
) {
  const op = SERVICE_API_OPERATIONS.find((o) => o.path === template && o.method === method.toLowerCase());
  if (!op) throw new Error(`no operation ${method} ${template} in the document`);
  const url = '/api/v1' + template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!));
  const res = await h.app.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  const status = String(res.statusCode);
  const documented = doc.paths[template]?.[method.toLowerCase()]?.responses ?? {};
  expect(Object.keys(documented), `${op.operationId} answered ${status}, which the document does not list`).toContain(
    status,
  );
  const ref = `${DOC_ID}#/${pointer('paths', template, method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema')}`;
  const validate = ajv.getSchema(ref);
  if (!validate) throw new Error(`no schema at ${ref}`);
  const json = res.json();
  expect(validate(json), `${op.operationId} ${status}: ${ajv.errorsText(validate.errors)}\n${res.body}`).toBe(true);
  seen.set(op.operationId, (seen.get(op.operationId) ?? new Set()).add(res.statusCode));
  return { status: res.statusCode, json };
}

describe('GET /api/v1/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, readable without an API key', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(doc.paths).sort()).toEqual([...new Set(SERVICE_API_OPERATIONS.map((o) => o.path))].sort());
  });

  it('documents a success and the errors of every operation, with an example for each', () => {
    for (const op of SERVICE_API_OPERATIONS) {
      const responses = doc.paths[op.path]![op.method]!.responses as Record<
        string,
        { content: { 'application/json': { example?: unknown; examples?: Record<string, unknown> } } }
      >;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '401', '500']));
      expect(responses['200']!.content['application/json'].example).toBeDefined();
      for (const [status, r] of Object.entries(responses)) {
        if (status !== '200')
          expect(Object.keys(r.content['application/json'].examples ?? {}).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('every route answers what the document says', () => {
  it('customers: upsert, overview, balance, and their errors', async () => {
    const put = await call('PUT', '/customers/{externalId}', { externalId: 'oa_1' }, { email: 'oa1@example.com' });
    expect(put.status).toBe(200);
    expect((await call('PUT', '/customers/{externalId}', { externalId: 'oa_1' }, { email: 'nope' })).status).toBe(400);
    expect(
      (await call('PUT', '/customers/{externalId}', { externalId: 'oa_1' }, { email: 'a@b.io' }, null)).status,
    ).toBe(401);
    await grantCredits(h.prisma, {
      customerId: put.json.id as string,
      credits: 5,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'oa-seed-1',
      reason: 'contract test',
      actor: SYSTEM_ACTOR,
    });
    expect((await call('GET', '/customers/{externalId}', { externalId: 'oa_1' })).json).toMatchObject({ balance: 5 });
    expect((await call('GET', '/customers/{externalId}', { externalId: 'nobody' })).status).toBe(404);
    const balance = await call('GET', '/customers/{externalId}/balance', { externalId: 'oa_1' });
    expect(balance.json).toMatchObject({ balance: 5, available: 5 });
    expect((await call('GET', '/customers/{externalId}/balance', { externalId: 'nobody' })).status).toBe(404);
  });

  it('access check and usage: allowed, each refusal, idempotency conflict, reversal', async () => {
    const allowed = await call('POST', '/access/check', {}, { customerId: 'oa_1', feature: 'chat' });
    expect(allowed.json).toEqual({ allowed: true });
    const short = await call('POST', '/access/check', {}, { customerId: 'oa_1', feature: 'chat', credits: 99 });
    expect(short.json).toEqual({ allowed: false, reason: 'insufficient_credits' });
    expect((await call('POST', '/access/check', {}, { customerId: 'oa_1', feature: 'nope' })).status).toBe(404);
    expect((await call('POST', '/access/check', {}, { customerId: 'oa_1' })).status).toBe(400);

    const usage = { customerId: 'oa_1', feature: 'chat', idempotencyKey: 'oa-use-1', credits: 2 };
    expect((await call('POST', '/usage', {}, usage)).json).toMatchObject({ credits: 2, balance: 3, replayed: false });
    expect((await call('POST', '/usage', {}, usage)).json).toMatchObject({ replayed: true });
    expect((await call('POST', '/usage', {}, { ...usage, credits: 1 })).status).toBe(409);
    expect((await call('POST', '/usage', {}, { ...usage, idempotencyKey: 'oa-use-2', credits: 50 })).status).toBe(402);
    expect((await call('POST', '/usage', {}, { ...usage, idempotencyKey: 'oa-use-3', feature: 'video' })).status).toBe(
      403,
    );
    expect((await call('POST', '/usage', {}, { ...usage, credits: -1 })).status).toBe(400);

    const reversed = await call(
      'POST',
      '/usage/{idempotencyKey}/reverse',
      { idempotencyKey: 'oa-use-1' },
      { reason: 'failed' },
    );
    expect(reversed.json).toMatchObject({ credits: 2, balance: 5, alreadyReversed: false, reversed: true });
    expect(
      (await call('POST', '/usage/{idempotencyKey}/reverse', { idempotencyKey: 'nope' }, { reason: 'failed' })).status,
    ).toBe(404);
    expect((await call('POST', '/usage/{idempotencyKey}/reverse', { idempotencyKey: 'oa-use-1' }, {})).status).toBe(
      400,
    );

    await h.prisma.customer.update({ where: { externalId: 'oa_1' }, data: { status: 'blocked' } });
    expect((await call('POST', '/usage', {}, { ...usage, idempotencyKey: 'oa-use-4', credits: 1 })).status).toBe(403);
    expect((await call('POST', '/access/check', {}, { customerId: 'oa_1', feature: 'chat' })).json).toEqual({
      allowed: false,
      reason: 'blocked',
    });
  });

  it('checkout sessions: created, blocked, unknown pack, unmapped pack', async () => {
    const urls = { successUrl: 'https://app.example/ok', cancelUrl: 'https://app.example/no' };
    await call('PUT', '/customers/{externalId}', { externalId: 'oa_2' }, { email: 'oa2@example.com' });
    const created = await call('POST', '/checkout-sessions', {}, { customerId: 'oa_2', pack: 'starter', ...urls });
    expect(created.json).toMatchObject({ mode: 'payment', id: expect.stringMatching(/^cs_/) });
    expect(
      (await call('POST', '/checkout-sessions', {}, { customerId: 'oa_1', pack: 'starter', ...urls })).status,
    ).toBe(403);
    expect((await call('POST', '/checkout-sessions', {}, { customerId: 'oa_2', pack: 'nope', ...urls })).status).toBe(
      404,
    );
    await h.prisma.creditPack.create({ data: { key: 'unpriced', name: 'Unpriced', credits: 10, position: 9 } });
    expect(
      (await call('POST', '/checkout-sessions', {}, { customerId: 'oa_2', pack: 'unpriced', ...urls })).status,
    ).toBe(422);
    expect((await call('POST', '/checkout-sessions', {}, { customerId: 'oa_2', ...urls })).status).toBe(400);
  });

  it('exercised every operation with a success and at least one error', () => {
    for (const op of SERVICE_API_OPERATIONS) {
      const statuses = [...(seen.get(op.operationId) ?? [])];
      expect(statuses, op.operationId).toContain(200);
      expect(
        statuses.some((s) => s >= 400),
        op.operationId,
      ).toBe(true);
    }
  });
});
