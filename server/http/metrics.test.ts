// GET /metrics against the real server process (its counters start at zero): the token is
// required, and after usage calls and webhooks the counters carry the right labels. Plus the
// in-process app: without METRICS_TOKEN the route does not exist (404); with it, job runs and
// failures through the real job runner (pg-boss) are counted by job and outcome, and every metric
// family README's table and alerts name is served.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparePort } from '../../bench/lib/common.ts';
import { startServer, type ServerProcess } from '../../bench/lib/server-process.ts';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createTestDeps } from '../../test/deps.ts';
import { checkoutSession, event, signedHeader } from '../../test/stripe/builders.ts';
import { until } from '../../test/until.ts';
import { buildApp } from '../app.ts';
import { PROJECT_ROOT } from '../db/migrator.ts';
import { defineJob } from '../jobs/job.ts';
import { startJobRunner } from '../jobs/runner.ts';
import { SYSTEM_ACTOR } from '../lib/actor.ts';
import { importCatalog } from '../modules/catalog/import-catalog.ts';
import { grantCredits } from '../modules/ledger/grant-credits.ts';

const TOKEN = 'metrics-test-token-0123456789';
const KEY = 'metrics-test-service-key-0123456789';
const WHSEC = 'whsec_metrics_test_secret';
let db: TestDatabase;
let server: ServerProcess;

beforeAll(async () => {
  db = await createTestDatabase();
  const catalog = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'prisma/catalog.default.json'), 'utf8'));
  await importCatalog(db.prisma, catalog, SYSTEM_ACTOR);
  server = await startServer({
    databaseUrl: db.url,
    port: await sparePort(),
    env: { METRICS_TOKEN: TOKEN, SERVICE_API_KEY: KEY, STRIPE_WEBHOOK_SECRET: WHSEC },
  });
}, 180_000);
afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const scrape = (authorization?: string) =>
  fetch(`${server.base}/metrics`, { headers: authorization ? { authorization } : {} });

function api(method: string, url: string, body?: unknown) {
  return fetch(`${server.base}${url}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The value of one sample, labels given in the order prom-client prints them; null when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  const rendered = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = text.split('\n').find((l) => l.startsWith(rendered ? `${name}{${rendered}} ` : `${name} `));
  return line ? Number(line.split(' ').at(-1)) : null;
}

async function deliver(payload: Record<string, unknown>) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${server.base}/api/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signedHeader(body, WHSEC) },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { status: string; duplicate: boolean };
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('GET /metrics on the real server', () => {
  it('requires the token: none or a wrong one is 401, the right one 200 in Prometheus text', async () => {
    for (const auth of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(await res.text()).not.toContain('creditdesk_');
    }
    const ok = await scrape(`Bearer ${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/plain');
    const text = await ok.text();
    expect(text).toContain('# TYPE creditdesk_http_requests_total counter');
    // Collected on scrape: pool use and the event queues (none yet).
    expect(sample(text, 'creditdesk_db_pool_connections', { state: 'max' })).toBe(10);
    expect(sample(text, 'creditdesk_stripe_events', { status: 'failed' })).toBe(0);
    expect(sample(text, 'creditdesk_stripe_event_oldest_pending_seconds')).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts usage charged and refused by reason, and requests by route pattern', async () => {
    for (const id of ['metrics_rich', 'metrics_poor']) {
      expect((await api('PUT', `/api/v1/customers/${id}`, { email: `${id}@example.com` })).status).toBe(200);
    }
    const rich = await db.prisma.customer.findFirstOrThrow({ where: { externalId: 'metrics_rich' } });
    await grantCredits(db.prisma, {
      customerId: rich.id,
      credits: 100,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      idempotencyKey: 'metrics-seed',
      reason: 'test credits',
      actor: SYSTEM_ACTOR,
    });
    const use = (customerId: string, idempotencyKey: string, feature = 'chat') =>
      api('POST', '/api/v1/usage', { customerId, feature, idempotencyKey, credits: 10 });
    expect((await use('metrics_rich', 'm-1')).status).toBe(200);
    expect((await use('metrics_rich', 'm-1')).status).toBe(200); // a replay: not charged again
    expect((await use('metrics_poor', 'm-2')).status).toBe(402);
    expect((await use('metrics_nobody', 'm-3')).status).toBe(404);
    expect((await use('metrics_rich', 'm-4', 'image_generation')).status).toBe(403); // not on the free plan

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const usage = (outcome: string, reason = '') =>
      sample(text, 'creditdesk_usage_requests_total', { outcome, reason });
    expect(usage('charged')).toBe(1);
    expect(usage('replayed')).toBe(1);
    expect(usage('refused', 'insufficient_credits')).toBe(1);
    expect(usage('refused', 'not_found')).toBe(1);
    expect(usage('refused', 'not_entitled')).toBe(1);
    expect(sample(text, 'creditdesk_usage_credits_charged_total')).toBe(10);
    const http = (route: string, status: string, method = 'POST') =>
      sample(text, 'creditdesk_http_requests_total', { method, route, status });
    expect(http('/api/v1/usage', '200')).toBe(2);
    expect(http('/api/v1/usage', '402')).toBe(1);
    // The pattern, never the raw URL (which would hold the customer id).
    expect(http('/api/v1/customers/:externalId', '200', 'PUT')).toBe(2);
    expect(text).not.toContain('metrics_rich');
    expect(
      sample(text, 'creditdesk_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/usage' }),
    ).toBe(5);
  });

  it('counts webhook deliveries and event attempts by type and status, and rejections by reason', async () => {
    const expired = event('checkout.session.expired', checkoutSession({ status: 'expired', paymentStatus: 'unpaid' }));
    const first = await deliver(expired);
    expect((await deliver(expired)).duplicate).toBe(true);
    const ignored = await deliver(event('customer.created', { id: 'cus_metrics', object: 'customer' }));
    expect(ignored.status).toBe('ignored');
    const bad = await fetch(`${server.base}/api/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
    expect(bad.status).toBe(400);

    const text = await (await scrape(`Bearer ${TOKEN}`)).text();
    const deliveries = (type: string, status: string) =>
      sample(text, 'creditdesk_stripe_webhook_deliveries_total', { type, status });
    expect(deliveries('checkout.session.expired', first.status)).toBe(1);
    expect(deliveries('checkout.session.expired', 'duplicate')).toBe(1);
    expect(deliveries('customer.created', 'ignored')).toBe(1);
    expect(sample(text, 'creditdesk_stripe_webhook_rejections_total', { reason: 'bad_signature' })).toBe(1);
    expect(
      sample(text, 'creditdesk_stripe_event_attempts_total', {
        type: 'checkout.session.expired',
        status: first.status,
      }),
    ).toBe(1);
    if (first.status === 'processed') {
      expect(sample(text, 'creditdesk_stripe_event_lag_seconds_count', { type: 'checkout.session.expired' })).toBe(1);
    }
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('answers 404, as for any unknown path', async () => {
    const t = await createTestDeps();
    const app = await buildApp(t.deps, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything' } });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await app.close();
      await t.db.drop();
    }
  });
});

describe('GET /metrics: job runs and the documented families (in-process app, real job runner)', () => {
  it('counts job runs by job and outcome (a failed attempt and its retry each count), with run times', async () => {
    const t = await createTestDeps({ env: { METRICS_TOKEN: TOKEN } });
    const app = await buildApp(t.deps, { logger: false });
    const ran: string[] = [];
    const ok = defineJob({
      name: 'test-metrics-ok',
      description: 'succeeds',
      pollingIntervalSeconds: 0.5,
      async handler() {
        ran.push('ok');
      },
    });
    const failing = defineJob({
      name: 'test-metrics-failing',
      description: 'always fails; one retry',
      queue: { retryLimit: 1, retryDelay: 1 },
      pollingIntervalSeconds: 0.5,
      async handler() {
        ran.push('failed');
        throw new Error('this job always fails');
      },
    });
    const runner = await startJobRunner({ deps: t.deps, databaseUrl: t.db.url, jobs: [ok, failing], schedules: false });
    try {
      const scrapeText = async () => {
        const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
        expect(res.statusCode).toBe(200);
        return res.body;
      };
      const runs = (text: string, job: string, outcome: string) =>
        sample(text, 'creditdesk_job_runs_total', { job, outcome });
      expect(runs(await scrapeText(), 'test-metrics-ok', 'ok')).toBeNull();

      await runner.send('test-metrics-ok');
      await until(async () => ran.includes('ok'));
      await runner.send('test-metrics-ok');
      await runner.send('test-metrics-failing');
      // Two attempts of the failing job (the first and its one retry), two runs of the other.
      const text = await until(async () => {
        const body = await scrapeText();
        return runs(body, 'test-metrics-ok', 'ok') === 2 && runs(body, 'test-metrics-failing', 'failed') === 2 && body;
      });
      expect(runs(text, 'test-metrics-ok', 'failed')).toBeNull();
      expect(runs(text, 'test-metrics-failing', 'ok')).toBeNull();
      expect(ran.filter((r) => r === 'failed')).toHaveLength(2);
      expect(sample(text, 'creditdesk_job_duration_seconds_count', { job: 'test-metrics-ok' })).toBe(2);
      expect(sample(text, 'creditdesk_job_duration_seconds_count', { job: 'test-metrics-failing' })).toBe(2);
    } finally {
      await runner.stop();
      await app.close();
      await t.db.drop();
    }
  }, 60_000);

  it("serves every metric family README's table lists, and the five alerts use only those", async () => {
    const t = await createTestDeps({ env: { METRICS_TOKEN: TOKEN } });
    const app = await buildApp(t.deps, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
      const served = new Set([...res.body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
      const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('**Metrics.**'), readme.indexOf('**Request ids in logs.**'));
      const table = section.slice(0, section.indexOf('The five to alert on'));
      const alerts = section.slice(section.indexOf('The five to alert on'), section.indexOf('Worth a dashboard'));
      const listed = [...table.matchAll(/`(creditdesk_[a-z_]+)`/g)].map((m) => m[1]!);
      // What issue 20 asks for: requests and latency, webhooks, event lag, queue sizes, usage, jobs, pool.
      expect(listed).toEqual(
        expect.arrayContaining([
          'creditdesk_http_requests_total',
          'creditdesk_http_request_duration_seconds',
          'creditdesk_stripe_webhook_deliveries_total',
          'creditdesk_stripe_event_lag_seconds',
          'creditdesk_stripe_events',
          'creditdesk_usage_requests_total',
          'creditdesk_usage_credits_charged_total',
          'creditdesk_job_runs_total',
          'creditdesk_db_pool_connections',
        ]),
      );
      for (const name of listed) expect(served, name).toContain(name);
      expect(served).toContain('process_resident_memory_bytes');
      expect(alerts.match(/^\d\. \*\*/gm)).toHaveLength(5);
      const alerted = [...alerts.matchAll(/(creditdesk_[a-z_]+?)(?:_bucket)?[{[)]/g)].map((m) => m[1]!);
      expect(new Set(alerted)).toEqual(
        new Set([
          'creditdesk_stripe_events',
          'creditdesk_stripe_event_attempts_total',
          'creditdesk_stripe_event_oldest_pending_seconds',
          'creditdesk_http_requests_total',
          'creditdesk_http_request_duration_seconds',
          'creditdesk_job_runs_total',
          'creditdesk_db_pool_connections',
        ]),
      );
      for (const name of alerted) expect(served, name).toContain(name);
    } finally {
      await app.close();
      await t.db.drop();
    }
  });
});
