// Reports on real PostgreSQL: CSV content (header, values, quoting, formula guard, date range),
// keyset batches that never skip or repeat a row (ties included), the liability figures, cancel,
// the cookie-authenticated export route by role, and the chart figures.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { ensureCustomer } from '../customers/ensure-customer.ts';
import { consumeCredits } from '../ledger/consume-credits.ts';
import { grantCredits } from '../ledger/grant-credits.ts';
import { createStaff } from '../staff/create-staff.ts';
import { csvCell } from './csv.ts';
import { cellSql, decimalSql } from './export-kinds.ts';
import { getReportCharts } from './get-report-charts.ts';
import { pgRowSource, prismaRowSource } from './row-source.ts';
import { countExport, streamExport } from './stream-export.ts';
import pg from 'pg';

const SYSTEM: Actor = { type: 'system', id: 'system' };
const DAY = 86_400_000;
let t: TestContext;
let db: Db;
let app: FastifyInstance;
let pool: pg.Pool;
const today = new Date().toISOString().slice(0, 10);

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = '';
  for await (const chunk of gen) out += chunk;
  return out;
}

/** Parses what csvLine writes (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

let ada: { id: string };
let bob: { id: string };

beforeAll(async () => {
  t = await createTestDeps();
  db = t.deps.prisma;
  pool = new pg.Pool({ connectionString: t.db.url, max: 2 });
  ada = await ensureCustomer(db, { externalId: 'ada', email: 'ada@example.com', name: 'Ada' });
  bob = await ensureCustomer(db, { externalId: 'bob', email: 'bob@example.com' });

  // Ada: a paid pack (1,000 credits for EUR 10.00), a free promo used up by 100 of usage, then 300
  // more usage from the pack; later a paid USD lot expiring in 75 days and a free promo expiring in
  // 45. Bob: a promo already past its expiry, which no longer counts.
  const paid = await grantCredits(db, {
    customerId: ada.id,
    credits: 1000,
    type: 'purchase',
    source: 'pack_purchase',
    costBasis: 'paid',
    amountPaid: 1000,
    currency: 'eur',
    idempotencyKey: 'ada-pack',
    reason: 'Pack, "big", with = sign',
    actor: SYSTEM,
  });
  const grantFree = (customerId: string, credits: number, days: number, key: string, reason: string) =>
    grantCredits(db, {
      customerId,
      credits,
      type: 'grant',
      source: 'promo',
      costBasis: 'free',
      expiresAt: new Date(Date.now() + days * DAY),
      idempotencyKey: key,
      reason,
      actor: SYSTEM,
    });
  await grantFree(ada.id, 100, 20, 'ada-promo', '=HYPERLINK("http://evil")');
  await consumeCredits(db, {
    customerId: ada.id,
    credits: 100,
    idempotencyKey: 'ada-use-1',
    reason: 'chat',
    actor: SYSTEM,
  });
  await consumeCredits(db, {
    customerId: ada.id,
    credits: 300,
    idempotencyKey: 'ada-use-2',
    reason: 'video',
    actor: SYSTEM,
  });
  await grantCredits(db, {
    customerId: ada.id,
    credits: 300,
    type: 'purchase',
    source: 'pack_purchase',
    costBasis: 'paid',
    amountPaid: 600,
    currency: 'usd',
    expiresAt: new Date(Date.now() + 75 * DAY),
    idempotencyKey: 'ada-usd',
    reason: 'USD pack',
    actor: SYSTEM,
  });
  await grantFree(ada.id, 80, 45, 'ada-promo-2', 'Second promo');
  await grantFree(bob.id, 50, -1, 'bob-promo', 'Short promo');

  await db.plan.create({ data: { key: 'pro', name: 'Pro', monthlyCredits: 3000, entitlements: {} } });
  await db.creditPack.create({ data: { key: 'big', name: '1,000 credits', credits: 1000 } });
  const now = Date.now();
  await db.payment.createMany({
    data: [
      {
        customerId: ada.id,
        kind: 'pack',
        catalogKey: 'big',
        amount: 1000,
        currency: 'eur',
        status: 'paid',
        paidAt: new Date(now),
        createdAt: new Date(now),
        checkoutSessionId: 'cs_1',
        chargeId: 'ch_1',
        lotId: paid.lot.id,
        creditsGranted: 1000,
      },
      {
        customerId: ada.id,
        kind: 'subscription',
        catalogKey: 'pro',
        amount: 1900,
        currency: 'eur',
        status: 'partially_refunded',
        amountRefunded: 500,
        paidAt: new Date(now),
        createdAt: new Date(now),
        invoiceId: 'in_1',
      },
      {
        customerId: bob.id,
        kind: 'pack',
        catalogKey: 'small',
        amount: 500,
        currency: 'eur',
        status: 'paid',
        paidAt: new Date(now - 400 * DAY),
        createdAt: new Date(now - 400 * DAY),
        checkoutSessionId: 'cs_old',
      },
    ],
  });
  const sub = await db.payment.findUniqueOrThrow({ where: { invoiceId: 'in_1' } });
  await db.refund.create({
    data: {
      paymentId: sub.id,
      customerId: ada.id,
      amount: 500,
      currency: 'eur',
      status: 'succeeded',
      origin: 'creditdesk',
      reason: 'Line one\nline two, "quoted"',
      stripeReason: 'requested_by_customer',
      idempotencyKey: 'r1',
      stripeRefundId: 're_1',
      creditsClawedBack: 0,
    },
  });
  await db.dispute.create({
    data: {
      id: 'dp_1',
      chargeId: 'ch_1',
      customerId: ada.id,
      amount: 1000,
      currency: 'eur',
      reason: 'fraudulent',
      status: 'lost',
      stripeCreated: new Date(now),
    },
  });
  await db.dispute.create({
    data: {
      id: 'dp_2',
      chargeId: 'ch_2',
      customerId: bob.id,
      amount: 500,
      currency: 'eur',
      reason: 'general',
      status: 'won',
      stripeCreated: new Date(now),
    },
  });

  app = await buildApp(t.deps, { logger: false });
  for (const role of ['support', 'finance'] as const) {
    await createStaff(db, t.deps.auth, SYSTEM, {
      email: `${role}@reports.test`,
      password: `${role}-password-1234`,
      name: role,
      role,
    });
  }
});
afterAll(async () => {
  await app?.close();
  await pool?.end();
  await t?.db.drop();
});

describe('CSV exports', () => {
  it('ledger: header, one row per entry in order, values as stored, quoted and formula-guarded text', async () => {
    const csv = await collect(streamExport(pgRowSource(pool), 'ledger', { from: today, to: today }));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      'created_at',
      'entry_id',
      'customer_id',
      'type',
      'credits',
      'balance_after',
      'lot_id',
      'reference_type',
      'reference',
      'actor_type',
      'actor_id',
      'actor_name',
      'reason',
      'idempotency_key',
    ]);
    const body = rows.slice(1);
    expect(body.map((r) => [r[3], r[4], r[12]])).toEqual([
      ['purchase', '1000', 'Pack, "big", with = sign'],
      ['grant', '100', `'=HYPERLINK("http://evil")`],
      ['usage', '-100', 'chat'],
      ['usage', '-300', 'video'],
      ['purchase', '300', 'USD pack'],
      ['grant', '80', 'Second promo'],
      ['grant', '50', 'Short promo'],
    ]);
    expect(body.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(r[0]!))).toBe(true);
    expect(body.every((r) => Math.abs(Date.parse(r[0]!) - Date.now()) < 3_600_000)).toBe(true);
    expect(csv).toContain('"Pack, ""big"", with = sign"');
    expect(await countExport(pgRowSource(pool), 'ledger', { from: today, to: today })).toBe(7);
    // Outside the range: only the header.
    expect(
      parseCsv(await collect(streamExport(pgRowSource(pool), 'ledger', { from: '2020-01-01', to: '2020-12-31' }))),
    ).toHaveLength(1);
  });

  it('keyset batches never skip or repeat a row, ties on the timestamp included', async () => {
    const c = await ensureCustomer(db, { externalId: 'ties', email: 'ties@example.com' });
    await db.$transaction(async (tx) => {
      // One transaction: every entry gets the same now().
      for (let i = 0; i < 7; i++) {
        await grantCredits(tx, {
          customerId: c.id,
          credits: 1,
          type: 'grant',
          source: 'promo',
          costBasis: 'free',
          idempotencyKey: `tie-${i}`,
          reason: `tie ${i}`,
          actor: SYSTEM,
        });
      }
    });
    for (const source of [pgRowSource(pool), prismaRowSource(db)]) {
      let batches = 0;
      const csv = await collect(
        streamExport(source, 'ledger', { from: today, to: today }, { batchSize: 2, onBatch: () => (batches += 1) }),
      );
      const ids = parseCsv(csv)
        .slice(1)
        .map((r) => r[1]);
      expect(ids).toHaveLength(14);
      expect(new Set(ids).size).toBe(14);
      expect(ids).toEqual([...ids].sort((a, b) => Number(a) - Number(b)));
      expect(batches).toBe(7);
    }
  });

  it('payments, refunds and disputes: the range, the columns, multi-line text kept in one cell', async () => {
    const payments = parseCsv(await collect(streamExport(pgRowSource(pool), 'payments', { from: today, to: today })));
    expect(payments).toHaveLength(3);
    const header = payments[0]!;
    const byKind = Object.fromEntries(
      payments.slice(1).map((r) => [r[header.indexOf('kind')], Object.fromEntries(header.map((h, i) => [h, r[i]]))]),
    );
    expect(byKind.pack).toMatchObject({
      customer_email: 'ada@example.com',
      amount_minor: '1000',
      amount: '10.00',
      currency: 'eur',
      status: 'paid',
      charge_id: 'ch_1',
      credits_granted: '1000',
      // What was bought by name beside its key (issue 16: plans and packs by name).
      catalog_key: 'big',
      catalog_name: '1,000 credits',
    });
    expect(byKind.subscription).toMatchObject({
      catalog_key: 'pro',
      catalog_name: 'Pro',
      amount_minor: '1900',
      amount: '19.00',
      amount_refunded_minor: '500',
      amount_refunded: '5.00',
      status: 'partially_refunded',
      invoice_id: 'in_1',
    });
    const old = parseCsv(
      await collect(
        streamExport(pgRowSource(pool), 'payments', { from: `${Number(today.slice(0, 4)) - 2}-01-01`, to: today }),
      ),
    );
    expect(old).toHaveLength(4);

    const refunds = parseCsv(await collect(streamExport(pgRowSource(pool), 'refunds', { from: today, to: today })));
    expect(refunds).toHaveLength(2);
    const r = Object.fromEntries(refunds[0]!.map((h, i) => [h, refunds[1]![i]]));
    expect(r).toMatchObject({
      stripe_refund_id: 're_1',
      status: 'succeeded',
      amount_minor: '500',
      amount: '5.00',
      reason: 'Line one\nline two, "quoted"',
    });

    const disputes = parseCsv(await collect(streamExport(pgRowSource(pool), 'disputes', { from: today, to: today })));
    expect(new Set(disputes.slice(1).map((d) => `${d[1]}:${d[6]}`))).toEqual(new Set(['dp_1:lost', 'dp_2:won']));
  });

  it('credits liability: paid vs free, value, expiring windows, one row per currency, expired lots left out', async () => {
    const csv = await collect(
      streamExport(pgRowSource(pool), 'liability', { from: today, to: today }, { batchSize: 1 }),
    );
    const rows = parseCsv(csv);
    const header = rows[0]!;
    const objects = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    const adaRows = objects.filter((o) => o.customer_external_id === 'ada');
    // The promo (100, soonest expiry) went first, then 300 from the EUR pack: 700 paid EUR left; the
    // second promo's 80 free credits sit on the first currency's row.
    expect(adaRows).toEqual([
      expect.objectContaining({
        currency: 'eur',
        paid_credits: '700',
        free_credits: '80',
        paid_value_minor: '700',
        paid_value: '7.00',
        expiring_30d: '0',
        expiring_60d: '80',
        expiring_90d: '80',
      }),
      expect.objectContaining({
        currency: 'usd',
        paid_credits: '300',
        free_credits: '0',
        paid_value_minor: '600',
        paid_value: '6.00',
        expiring_30d: '0',
        expiring_60d: '0',
        expiring_90d: '300',
      }),
    ]);
    expect(objects.some((o) => o.customer_external_id === 'bob')).toBe(false);
  });

  it('stops reading when cancelled', async () => {
    const controller = new AbortController();
    let batches = 0;
    const gen = streamExport(
      pgRowSource(pool),
      'ledger',
      { from: today, to: today },
      {
        batchSize: 1,
        signal: controller.signal,
        onBatch: () => (batches += 1),
      },
    );
    await gen.next(); // header
    await gen.next(); // first batch
    controller.abort();
    const rest = await gen.next();
    expect(rest.done).toBe(true);
    expect(batches).toBe(1);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(
      collect(streamExport(pgRowSource(pool), 'ledger', { from: '2026-02-01', to: '2026-01-01' })),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(csvCell('-12')).toBe('-12');
    expect(csvCell('-x')).toBe(`'-x`);
  });

  it('PostgreSQL escapes cells exactly as the CSV writer does', async () => {
    const samples = [
      'plain',
      'a,b',
      'say "hi"',
      'two\nlines',
      '=1+2',
      '+33 6',
      '-12',
      '-5.5',
      '@user',
      '-x',
      'cr\rx',
      '',
    ];
    for (const value of samples) {
      const [row] = await pgRowSource(pool).rows(`SELECT ${cellSql('$1::text', 'text')}`, [value]);
      expect(row![0]).toBe(csvCell(value));
    }
  });
});

describe('GET /api/staff/exports/<kind>.csv', () => {
  async function cookieFor(role: 'support' | 'finance') {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: `${role}@reports.test`, password: `${role}-password-1234` },
      remoteAddress: role === 'support' ? '10.9.0.1' : '10.9.0.2',
    });
    expect(res.statusCode).toBe(200);
    return String(res.headers['set-cookie']).split(';')[0]!;
  }

  it('needs a finance or admin session', async () => {
    expect((await app.inject({ url: `/api/staff/exports/ledger.csv?from=${today}&to=${today}` })).statusCode).toBe(401);
    const support = await cookieFor('support');
    const res = await app.inject({
      url: `/api/staff/exports/ledger.csv?from=${today}&to=${today}`,
      headers: { cookie: support },
    });
    expect(res.statusCode).toBe(403);
  });

  it('streams the CSV with its row count, and says what is wrong with a bad request', async () => {
    const finance = await cookieFor('finance');
    const res = await app.inject({
      url: `/api/staff/exports/ledger.csv?from=${today}&to=${today}`,
      headers: { cookie: finance },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="creditdesk-ledger-${today}-to-${today}.csv"`,
    );
    const total = Number(res.headers['x-total-rows']);
    expect(total).toBeGreaterThanOrEqual(7);
    expect(parseCsv(res.body)).toHaveLength(total + 1);
    expect(await db.auditLog.count({ where: { action: 'report.export', targetId: 'ledger' } })).toBeGreaterThanOrEqual(
      1,
    );

    expect(
      (
        await app.inject({
          url: `/api/staff/exports/secrets.csv?from=${today}&to=${today}`,
          headers: { cookie: finance },
        })
      ).statusCode,
    ).toBe(404);
    const bad = await app.inject({
      url: `/api/staff/exports/ledger.csv?from=2026-13-01&to=${today}`,
      headers: { cookie: finance },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('a client that aborts mid-download ends the stream; the server keeps serving', async () => {
    const finance = await cookieFor('finance');
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/staff/exports/ledger.csv?from=${today}&to=${today}`, {
      headers: { cookie: finance },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^created_at,entry_id/);
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    const again = await fetch(`${address}/api/staff/exports/payments.csv?from=${today}&to=${today}`, {
      headers: { cookie: finance },
    });
    expect(again.status).toBe(200);
    expect((await again.text()).split('\n')[0]).toMatch(/^created_at,paid_at,payment_id/);
  });
});

describe('charts', () => {
  it('revenue split, refunds, disputes with rate and win rate, credits issued vs consumed', async () => {
    const charts = await getReportCharts(db, { from: today, to: today });
    const month = today.slice(0, 7);
    expect(charts.months).toEqual([month]);
    expect(charts.revenue).toEqual([{ month, currency: 'eur', subscriptions: 1900, packs: 1000, payments: 2 }]);
    expect(charts.refunds).toEqual([{ month, currency: 'eur', amount: 500, count: 1 }]);
    expect(charts.disputes).toEqual([{ month, opened: 2, won: 1, lost: 1, payments: 2, rate: 1 }]);
    expect(charts.disputeTotals).toMatchObject({ opened: 2, winRate: 0.5 });
    expect(charts.credits[0]).toMatchObject({
      month,
      issued: 1000 + 100 + 300 + 80 + 50 + 7,
      consumed: 400,
      expired: 0,
    });
    const year = await getReportCharts(db, { from: `${Number(today.slice(0, 4)) - 1}-01-01`, to: today });
    expect(year.months.length).toBeGreaterThanOrEqual(13);
  });
});

// Last: its ledger entry would change the earlier totals and charts.
describe('CSV names and decimals', () => {
  // Issue 16: staff by name beside their ids, and each minor-unit amount also as a decimal.
  it('names staff beside their ids and gives each amount as a decimal too, JPY without decimals', async () => {
    const finance = await db.user.findUniqueOrThrow({ where: { email: 'finance@reports.test' } });
    await db.refund.updateMany({ where: { stripeRefundId: 're_1' }, data: { requestedBy: finance.id } });
    const refunds = parseCsv(await collect(streamExport(pgRowSource(pool), 'refunds', { from: today, to: today })));
    const r = Object.fromEntries(refunds[0]!.map((h, i) => [h, refunds[1]![i]]));
    expect(r).toMatchObject({ requested_by: finance.id, requested_by_name: 'finance', approved_by_name: '' });

    const staffed = await ensureCustomer(db, { externalId: 'staffed', email: 'staffed@example.com' });
    await grantCredits(db, {
      customerId: staffed.id,
      credits: 5,
      type: 'grant',
      source: 'manual',
      costBasis: 'free',
      idempotencyKey: 'staffed-grant',
      reason: 'goodwill',
      actor: { type: 'staff', id: finance.id, email: finance.email, role: 'finance', ip: null },
    });
    const ledger = parseCsv(await collect(streamExport(pgRowSource(pool), 'ledger', { from: today, to: today })));
    const named = ledger.slice(1).find((row) => row[ledger[0]!.indexOf('reason')] === 'goodwill')!;
    expect(named[ledger[0]!.indexOf('actor_name')]).toBe('finance');
    const system = ledger.slice(1).find((row) => row[ledger[0]!.indexOf('actor_type')] === 'system')!;
    expect(system[ledger[0]!.indexOf('actor_name')]).toBe('');

    const rows = await db.$queryRawUnsafe<Array<{ eur: string; jpy: string; neg: string }>>(
      `SELECT ${decimalSql('905', "'eur'")} AS eur, ${decimalSql('500', "'JPY'")} AS jpy, ${decimalSql('-5', "'usd'")} AS neg`,
    );
    expect(rows[0]).toEqual({ eur: '9.05', jpy: '500', neg: '-0.05' });
  });
});
