// Evidence pack assembly from a seeded history on real PostgreSQL: every fact comes from the
// right records (usage paid by the disputed lot only, access log, earlier undisputed payments,
// Visa CE 3.0 candidates), the Stripe text fields are filled and within Stripe's limits, and the
// PDF renders within the size and page limits, also for a very large history.
import { execFileSync } from 'node:child_process';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import {
  evidenceFields,
  EVIDENCE_TEXT_FIELDS,
  EVIDENCE_TEXT_FIELD_NAMES,
  NO_ACCESS_RECORDED,
  type EvidencePack,
} from '../../contracts/disputes.ts';
import type { Db } from '../../db/client.ts';
import { grant, makeCustomer } from '../support/testing/history-builder.ts';
import { assembleEvidencePack, MAX_USAGE_LINES } from './assemble-evidence-pack.ts';
import { MAX_PDF_BYTES, MAX_PDF_PAGES, renderEvidencePdf } from './render-evidence-pdf.ts';
import { daysAgo, disputeRow, paidPurchase, useWithMetadata } from './testing/dispute-history.ts';

let t: TestContext;
let db: Db;
const IP = '203.0.113.9';
const UA = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15';

beforeAll(async () => {
  t = await createTestDeps();
  db = t.deps.prisma;
  await db.creditPack.create({ data: { key: 'starter', name: 'Starter pack', credits: 500 } });
  await db.catalogRules.upsert({
    where: { id: 1 },
    create: {
      refundPolicy: 'Unused credits are refundable within 14 days. Used credits are not refundable.',
      cancellationPolicy: 'Subscriptions can be cancelled at any time from the account page.',
      productDescription: 'Pixelmind: AI image and chat generation, paid with prepaid credits.',
    },
    update: {},
  });
});
afterAll(() => t?.db.drop());

describe('assembleEvidencePack', () => {
  it('fills every field from the customer history, counting only usage paid by the disputed purchase', async () => {
    const now = new Date();
    const c = await makeCustomer(db, {
      name: 'Grace Hopper',
      email: 'grace@example.com',
      createdAt: daysAgo(400, now),
    });
    // Earlier, undisputed payments: two 120-365 days before the disputed one from the same IP, one recent.
    const older = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(310, now), ip: IP, withLot: false });
    const old = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(200, now), ip: IP, withLot: false });
    await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(60, now), ip: '198.51.100.1', withLot: false });
    // Free credits used up before the purchase: not part of the disputed purchase's usage.
    await grant(db, c.id, 20);
    await useWithMetadata(db, { customerId: c.id, feature: 'image_generation', credits: 20, at: daysAgo(20, now) });

    const disputed = await paidPurchase(db, {
      customerId: c.id,
      paidAt: daysAgo(10, now),
      ip: IP,
      userAgent: UA,
      credits: 500,
    });
    for (let i = 0; i < 6; i++) {
      await useWithMetadata(db, {
        customerId: c.id,
        feature: i % 2 ? 'chat' : 'image_generation',
        credits: i % 2 ? 1 : 10,
        at: daysAgo(9 - i, now),
        metadata: {
          operation: 'generate',
          model: i % 2 ? 'gpt-4o-mini' : 'imagen-3',
          resultReference: `https://cdn.example/results/${i}.png`,
          clientIp: i < 4 ? IP : '192.0.2.44',
          userAgent: UA,
        },
      });
    }
    const d = await disputeRow(db, {
      paymentId: disputed.id,
      customerId: c.id,
      chargeId: disputed.chargeId!,
      openedAt: daysAgo(1, now),
    });

    const pack = await assembleEvidencePack(db, { disputeId: d.id, now });
    const f = pack.facts;
    expect(f.customer).toMatchObject({ name: 'Grace Hopper', email: 'grace@example.com', externalId: c.externalId });
    expect(f.customer.accountCreatedAt).toBe(c.createdAt.toISOString());
    expect(f.purchase).toMatchObject({
      chargeId: disputed.chargeId,
      purchaseIp: IP,
      purchaseUserAgent: UA,
      creditsGranted: 500,
      amount: 900,
    });
    expect(f.usage).toMatchObject({ scope: 'lot', requests: 6, credits: 33, omitted: 0 });
    expect(f.usage.lines.map((l) => l.resultReference)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `https://cdn.example/results/${i}.png`),
    );
    expect(f.usage.lines[0]).toMatchObject({
      feature: 'image_generation',
      model: 'imagen-3',
      clientIp: IP,
      credits: 10,
    });
    expect(f.service.firstUseAt).toBe(daysAgo(9, now).toISOString());
    expect(f.service.lastUseAt).toBe(daysAgo(4, now).toISOString());
    // Where the account was used from, including the free-credit use before the purchase (no metadata: not listed).
    expect(f.access.map((a) => [a.ip, a.requests])).toEqual([
      [IP, 4],
      ['192.0.2.44', 2],
    ]);
    expect(f.priorPayments.map((p) => p.paymentId)).toEqual(expect.arrayContaining([older.id, old.id]));
    expect(f.priorPayments).toHaveLength(3);
    expect(f.visaCe3.eligible).toBe(true);
    expect(f.visaCe3.candidates.map((x) => [x.chargeId, x.matchedOn])).toEqual([
      [old.chargeId, ['ip']],
      [older.chargeId, ['ip']],
    ]);
    expect(f.receipt).toContain('€9.00');
    expect(f.receipt).toContain(disputed.chargeId!);

    const fields = pack.fields;
    expect(fields).toMatchObject({
      customer_name: 'Grace Hopper',
      customer_email_address: 'grace@example.com',
      customer_purchase_ip: IP,
      refund_policy_disclosure: 'Unused credits are refundable within 14 days. Used credits are not refundable.',
      cancellation_policy_disclosure: 'Subscriptions can be cancelled at any time from the account page.',
    });
    expect(fields.service_date).toContain(`credits used from ${daysAgo(9, now).toISOString().slice(0, 10)}`);
    expect(fields.product_description).toContain('Pixelmind');
    expect(fields.product_description).toContain('Starter pack');
    expect(fields.access_activity_log).toContain('https://cdn.example/results/5.png');
    expect(fields.access_activity_log).toContain(`IP ${IP}`);
    expect(fields.uncategorized_text).toContain('6 requests using 33 of the 500 credits');
    expect(fields.uncategorized_text).toContain('Visa Compelling Evidence 3.0');
    expect(evidenceFields.safeParse(fields).success).toBe(true);

    const pdf = await renderEvidencePdf(pack);
    expect(Buffer.from(pdf.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const parsed = await PDFDocument.load(pdf.bytes);
    expect(parsed.getPageCount()).toBe(pdf.pages);
    expect(parsed.getTitle()).toBe(`Dispute evidence ${d.id}`);
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    expect(pdf.size).toBeLessThan(100_000);
    expect(pdf.usageLinesDropped).toBe(0);
    // Earlier payments name what they bought, for the bank, as the disputed purchase does (issue 16).
    expect(new Set(f.priorPayments.map((p) => p.bought))).toEqual(new Set(['credit pack "Starter pack"']));
    const printed = pdfText(pdf.bytes);
    expect(printed).toContain(`| €9.00 | credit pack "Starter pack" | ${old.chargeId}`);
    expect(printed).not.toContain('pack starter');
  });

  it('says why Visa CE 3.0 does not apply and leaves the purchase IP empty when none was recorded', async () => {
    const now = new Date();
    const c = await makeCustomer(db, { email: 'noip@example.com' });
    const p = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(3, now) });
    const d = await disputeRow(db, {
      paymentId: p.id,
      customerId: c.id,
      chargeId: p.chargeId!,
      openedAt: daysAgo(1, now),
      reason: 'subscription_canceled',
    });
    const pack = await assembleEvidencePack(db, { disputeId: d.id, now });
    expect(pack.facts.visaCe3).toMatchObject({ eligible: false, candidates: [] });
    expect(pack.facts.visaCe3.note).toContain('No purchase IP or device was recorded');
    expect(pack.facts.usage).toMatchObject({ requests: 0, credits: 0, lines: [] });
    expect(pack.fields.customer_name).toBe('noip@example.com');
    expect(pack.fields.customer_purchase_ip).toBe('');
    expect(pack.fields.uncategorized_text).toContain('No use of the purchased credits was recorded');
    expect(pack.fields.cancellation_rebuttal).toContain('did not cancel');
    const pdf = await renderEvidencePdf(pack);
    expect(pdf.pages).toBeGreaterThanOrEqual(1);
  });

  it('keeps a very large history within the text and PDF limits', async () => {
    const now = new Date();
    const long = 'x'.repeat(25_000);
    await db.catalogRules.update({
      where: { id: 1 },
      data: {
        refundPolicy: `Refund policy. ${'Used credits are not refundable. '.repeat(600)}`,
        cancellationPolicy: `Cancellation policy. ${'Cancel any time from the account page. '.repeat(500)}`,
      },
    });
    const c = await makeCustomer(db, { email: 'heavy@example.com' });
    const p = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(30, now), credits: 5000, ip: IP });
    for (let i = 0; i < MAX_USAGE_LINES + 50; i++) {
      await useWithMetadata(db, {
        customerId: c.id,
        feature: 'image_generation',
        credits: 10,
        at: new Date(daysAgo(29, now).getTime() + i * 60_000),
        metadata: {
          operation: 'generate',
          resultReference: `https://cdn.example/results/${i}-${'r'.repeat(120)}.png`,
          clientIp: IP,
          userAgent: `${UA} ${long.slice(0, 200)}`,
        },
      });
    }
    const d = await disputeRow(db, { paymentId: p.id, customerId: c.id, chargeId: p.chargeId!, openedAt: now });
    const pack = await assembleEvidencePack(db, { disputeId: d.id, now });
    expect(pack.facts.usage).toMatchObject({ requests: MAX_USAGE_LINES + 50, omitted: 50 });
    expect(pack.facts.usage.lines).toHaveLength(MAX_USAGE_LINES);
    for (const name of EVIDENCE_TEXT_FIELD_NAMES) {
      expect(pack.fields[name].length).toBeLessThanOrEqual(EVIDENCE_TEXT_FIELDS[name].max);
    }
    expect(pack.fields.access_activity_log).toContain('[continued in the attached PDF]');
    expect(evidenceFields.safeParse(pack.fields).success).toBe(true);

    const pdf = await renderEvidencePdf(pack);
    expect(pdf.pages).toBeLessThanOrEqual(MAX_PDF_PAGES);
    expect(pdf.size).toBeLessThanOrEqual(MAX_PDF_BYTES);
    expect(pdf.usageLinesDropped).toBeGreaterThan(0);
    expect((await PDFDocument.load(pdf.bytes)).getPageCount()).toBe(pdf.pages);
  });

  it('refuses a dispute that is not linked to a payment', async () => {
    const d = await db.dispute.create({
      data: {
        id: 'dp_unlinked_1',
        chargeId: 'ch_unknown',
        amount: 100,
        currency: 'eur',
        reason: 'general',
        status: 'needs_response',
        stripeCreated: new Date(),
      },
    });
    await expect(assembleEvidencePack(db, { disputeId: d.id })).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
  });

  // Issue 16.3: one source of truth. Every IP / device a usage row shows is in "Where the account
  // was used from", which never says none were recorded while a row names one, in the facts, the
  // PDF and the text fields alike; blank metadata values count as not recorded everywhere.
  it('never says no IP or device was recorded while a usage row shows one', async () => {
    const now = new Date();
    const c = await makeCustomer(db, { email: 'one-truth@example.com', createdAt: daysAgo(30, now) });
    const p = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(10, now), credits: 500 });
    // Blank values: not an IP, not a device, in the rows and in the access section alike.
    await useWithMetadata(db, {
      customerId: c.id,
      feature: 'chat',
      credits: 1,
      at: daysAgo(9, now),
      metadata: { clientIp: '  ', userAgent: '' },
    });
    // More distinct addresses than the account-wide access query keeps, the last ones used after
    // the dispute opened: the rows list them, so the access section must too.
    for (let i = 0; i < 30; i++) {
      await useWithMetadata(db, {
        customerId: c.id,
        feature: 'chat',
        credits: 1,
        at: new Date(daysAgo(i < 28 ? 8 : 0.5, now).getTime() + i * 1000),
        metadata: { clientIp: `198.51.100.${i + 1}`, userAgent: i % 2 ? UA : '' },
      });
    }
    const d = await disputeRow(db, {
      paymentId: p.id,
      customerId: c.id,
      chargeId: p.chargeId!,
      openedAt: daysAgo(1, now),
    });
    const pack = await assembleEvidencePack(db, { disputeId: d.id, now });
    const f = pack.facts;
    const shown = f.usage.lines.filter((u) => u.clientIp || u.userAgent);
    expect(shown).toHaveLength(30);
    for (const u of f.usage.lines) {
      expect(u.clientIp === null || u.clientIp.trim() !== '').toBe(true);
      expect(u.userAgent === null || u.userAgent.trim() !== '').toBe(true);
      if (!u.clientIp && !u.userAgent) continue;
      expect(f.access.some((a) => a.ip === u.clientIp && a.userAgent === u.userAgent)).toBe(true);
    }
    expect(f.access.every((a) => (a.ip ?? '').trim() !== '' || (a.userAgent ?? '').trim() !== '')).toBe(true);
    expect(pack.fields.access_activity_log).toContain('198.51.100.30');
    expect(pack.fields.access_activity_log).toMatch(/The account was used from:[\s\S]*198\.51\.100\.30/);
    const text = pdfText((await renderEvidencePdf(pack)).bytes);
    expect(text).not.toContain(NO_ACCESS_RECORDED);
    const whereFrom = text.slice(text.indexOf('Where the account was used from'));
    expect(whereFrom).toContain('198.51.100.30');

    // And the other way round: no row names an IP or device, so the section says so.
    const quiet = await makeCustomer(db, { email: 'quiet@example.com', createdAt: daysAgo(30, now) });
    const q = await paidPurchase(db, { customerId: quiet.id, paidAt: daysAgo(10, now), credits: 500 });
    await useWithMetadata(db, {
      customerId: quiet.id,
      feature: 'chat',
      credits: 1,
      at: daysAgo(9, now),
      metadata: { clientIp: ' ', userAgent: '' },
    });
    const qd = await disputeRow(db, {
      paymentId: q.id,
      customerId: quiet.id,
      chargeId: q.chargeId!,
      openedAt: daysAgo(1, now),
    });
    const quietPack: EvidencePack = await assembleEvidencePack(db, { disputeId: qd.id, now });
    expect(quietPack.facts.access).toEqual([]);
    expect(pdfText((await renderEvidencePdf(quietPack)).bytes)).toContain(NO_ACCESS_RECORDED);
  });
});

function pdfText(bytes: Uint8Array): string {
  return execFileSync('pdftotext', ['-', '-'], { input: Buffer.from(bytes), encoding: 'utf8' }).replace(/\s+/g, ' ');
}
