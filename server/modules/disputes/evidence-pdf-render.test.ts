// The evidence PDF renderer under hostile input (issue 14.2, issue 16.2): a 20,000-character field
// without a space renders with linear work, line breaks print as line breaks (read back with
// pdftotext), characters Helvetica cannot encode are spelled out instead of "?", the render runs
// on a worker thread so /healthz keeps answering while it is in flight, a render past the time
// limit is stopped, and the same saved pack is rendered once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PDFFont } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import type { EvidencePack } from '../../contracts/disputes.ts';
import { buildApp } from '../../app.ts';
import type { Db } from '../../db/client.ts';
import { createStaff } from '../staff/create-staff.ts';
import { makeCustomer } from '../support/testing/history-builder.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { getEvidencePageImage, getEvidencePdf } from './get-evidence-pdf.ts';
import { renderEvidencePdf } from './render-evidence-pdf.ts';
import { renderEvidencePdfInWorker } from './render-evidence-pdf-in-worker.ts';
import { saveEvidence } from './save-evidence.ts';
import { daysAgo, disputeRow, paidPurchase, useWithMetadata } from './testing/dispute-history.ts';

let t: TestContext;
let db: Db;
let app: FastifyInstance;
const STAFF = { type: 'staff', id: 'staff-1', email: 'finance@example.com', role: 'finance', ip: null } as const;
const UNBROKEN = 'A'.repeat(20_000);

beforeAll(async () => {
  t = await createTestDeps();
  db = t.deps.prisma;
  app = await buildApp(t.deps, { logger: false });
  await db.creditPack.create({ data: { key: 'starter', name: 'Starter pack', credits: 500 } });
});
afterAll(async () => {
  await app?.close();
  await t?.db.drop();
});

async function disputedPurchase(email: string, usage = 0, resultLength = 40) {
  const now = new Date();
  const c = await makeCustomer(db, { email });
  const p = await paidPurchase(db, { customerId: c.id, paidAt: daysAgo(5, now), credits: 5000 });
  for (let i = 0; i < usage; i++) {
    await useWithMetadata(db, {
      customerId: c.id,
      feature: 'image_generation',
      credits: 1,
      at: new Date(daysAgo(4, now).getTime() + i * 1000),
      metadata: { resultReference: `https://cdn.example/${i}/${'r'.repeat(resultLength)}` },
    });
  }
  return disputeRow(db, { paymentId: p.id, customerId: c.id, chargeId: p.chargeId!, openedAt: daysAgo(1, now) });
}

function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'evidence-pdf-'));
  const file = path.join(dir, 'evidence.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}

/** The printed text without page footers and whitespace: a field cut across pages reads whole. */
function pdfBody(bytes: Uint8Array): string {
  return pdfText(bytes)
    .split('\n')
    .filter((line) => !/^Dispute evidence \S+ - page \d+ of \d+$/.test(line.replace('\f', '')))
    .join('')
    .replace(/\s+/g, '');
}

function withFields(pack: EvidencePack, fields: Partial<EvidencePack['fields']>): EvidencePack {
  return { ...pack, fields: { ...pack.fields, ...fields } };
}

describe('evidence PDF rendering', () => {
  it('wraps a 20,000-character unbroken field with linear measuring work', async () => {
    const d = await disputedPurchase('unbroken@example.com');
    const pack = withFields(await assembleEvidencePack(db, { disputeId: d.id }), { uncategorized_text: UNBROKEN });
    const original = PDFFont.prototype.widthOfTextAtSize;
    let measured = 0;
    const measure = vi.spyOn(PDFFont.prototype, 'widthOfTextAtSize').mockImplementation(function (
      this: PDFFont,
      text: string,
      size: number,
    ) {
      measured += text.length;
      return original.call(this, text, size);
    });
    try {
      const pdf = await renderEvidencePdf(pack);
      expect(pdf.pages).toBeGreaterThanOrEqual(3);
    } finally {
      measure.mockRestore();
    }
    // The old wrap measured every shrinking prefix: billions of characters for this field.
    expect(measured).toBeLessThan(2 * UNBROKEN.length);
    // Every character of the field is printed, cut into lines.
    const text = pdfBody((await renderEvidencePdf(pack)).bytes);
    expect(text.includes(UNBROKEN)).toBe(true);
  });

  it('prints line breaks as line breaks and spells out what Helvetica cannot encode, never "?"', async () => {
    const d = await disputedPurchase('breaks@example.com');
    const pack = withFields(await assembleEvidencePack(db, { disputeId: d.id }), {
      uncategorized_text: 'First paragraph.\n\nSecond paragraph,\r\nstill second.\rThird\u2028Fourth\tend',
      customer_name: 'Zoë Łukasz Őrs 中文 \u200bEve',
      refund_policy_disclosure: 'Refunds within 14 days\nUsed credits are not refunded\u2009— see terms',
    });
    const text = pdfText((await renderEvidencePdf(pack)).bytes);
    expect(text).not.toContain('?');
    const lines = text.split('\n').map((l) => l.trim());
    for (const line of ['First paragraph.', 'Second paragraph,', 'still second.', 'Third', 'Fourth end']) {
      expect(lines).toContain(line);
    }
    expect(lines).toContain('Name: Zoë Lukasz Ors [U+4E2D][U+6587] Eve');
    expect(lines).toContain('Refunds within 14 days');
    expect(lines).toContain('Used credits are not refunded — see terms');
  });

  it('keeps /healthz answering while a large saved pack renders, and renders a saved pack once', async () => {
    const d = await disputedPurchase('heavy-render@example.com', 40, 2000);
    const assembled = await assembleEvidencePack(db, { disputeId: d.id });
    await saveEvidence(db, {
      disputeId: d.id,
      actor: STAFF,
      fields: { ...assembled.fields, uncategorized_text: UNBROKEN, product_description: UNBROKEN.toLowerCase() },
    });

    let done = false;
    const rendering = getEvidencePdf(db, { disputeId: d.id }).finally(() => {
      done = true;
    });
    const answeredDuringRender: number[] = [];
    while (!done) {
      const res = await app.inject({ method: 'GET', url: '/healthz' });
      if (!done) answeredDuringRender.push(res.statusCode);
    }
    const first = await rendering;
    expect(answeredDuringRender.length).toBeGreaterThanOrEqual(3);
    expect(new Set(answeredDuringRender)).toEqual(new Set([200]));
    expect(first.pages).toBeGreaterThan(1);
    const printed = pdfBody(Buffer.from(first.base64, 'base64'));
    expect(printed.includes(UNBROKEN)).toBe(true);

    // The same saved pack again: the cached document, byte for byte, without a second render.
    const again = await getEvidencePdf(db, { disputeId: d.id });
    expect(again.base64).toBe(first.base64);
    const stored = (await db.dispute.findUniqueOrThrow({ where: { id: d.id } })).evidence as unknown as EvidencePack;
    expect(await renderEvidencePdfInWorker(stored)).toBe(await renderEvidencePdfInWorker(stored));
  });

  it('stops a render past its time limit with a clear error, and the next render still works', async () => {
    const d = await disputedPurchase('slow@example.com');
    const pack = withFields(await assembleEvidencePack(db, { disputeId: d.id }), { uncategorized_text: 'slow' });
    await expect(renderEvidencePdfInWorker(pack, { timeLimitMs: 1 })).rejects.toMatchObject({
      code: 'UNPROCESSABLE',
      message: expect.stringContaining('took longer than'),
    });
    const ok = await renderEvidencePdfInWorker(withFields(pack, { uncategorized_text: 'fast' }));
    expect(pdfText(ok.bytes)).toContain('fast');
  });

  // Issue 16.4: the preview tab shows page images (our CSP and headless browsers leave an embedded
  // PDF blank); each is a real PNG of that page of the same document, behind the staff session.
  it('draws each page of the evidence PDF as a PNG, refuses pages it does not have, and needs a session', async () => {
    const d = await disputedPurchase('page-image@example.com', 3);
    // Nothing is saved, so every call assembles the pack afresh: the preview was shown a minute ago
    // and the document assembled now says another "Prepared" time.
    const pdf = await getEvidencePdf(db, { disputeId: d.id, now: new Date(Date.now() - 60_000) });
    expect(pdf.version).toMatch(/^[0-9a-f]{16}$/);
    const shown = await getEvidencePageImage(db, { disputeId: d.id, page: 1, version: pdf.version });
    expect(shown.version).toBe(pdf.version);
    const png = shown.png;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const newest = await getEvidencePageImage(db, { disputeId: d.id, page: 1 });
    expect(newest.version).not.toBe(pdf.version);
    expect(newest.png.equals(png)).toBe(false);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect(width).toBeGreaterThan(800);
    expect(height).toBeGreaterThan(width); // A4 portrait
    await expect(getEvidencePageImage(db, { disputeId: d.id, page: pdf.pages + 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const url = `/api/staff/disputes/${d.id}/evidence-pages/1.png?v=${pdf.version}`;
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    await createStaff(
      db,
      t.deps.auth,
      { type: 'system', id: 'system' },
      {
        email: 'support@pages.test',
        password: 'support-password-1234',
        name: 'Sam Support',
        role: 'support',
      },
    );
    const signIn = await app.inject({
      method: 'POST',
      url: '/api/auth/sign-in/email',
      payload: { email: 'support@pages.test', password: 'support-password-1234' },
    });
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(png)).toBe(true);
    expect(res.headers['cache-control']).toBe('private, max-age=3600');
    // A version this process no longer knows: the newest document, not cached under that name.
    const unknown = await app.inject({
      method: 'GET',
      url: url.replace(pdf.version, 'ffffffffffffffff'),
      headers: { cookie },
    });
    expect(unknown.statusCode).toBe(200);
    expect(unknown.headers['cache-control']).toBe('no-store');
    const missing = await app.inject({ method: 'GET', url: url.replace('/1.png', '/99.png'), headers: { cookie } });
    expect(missing.statusCode).toBe(404);
  });
});
