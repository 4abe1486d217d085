// The evidence pack as a readable PDF for the bank: the summary first, then the customer, the
// receipt, the use of the purchased credits request by request, where the account was used
// from, earlier undisputed payments, Visa CE 3.0 candidates and the policies. Plain Helvetica
// text (no images, no embedded fonts) keeps it small; Stripe's limits are checked here and the
// usage table is shortened until the document fits.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import { NO_ACCESS_RECORDED, type EvidencePack } from '../../contracts/disputes.ts';
import { AppError } from '../../lib/app-error.ts';
import { usageText } from './evidence-fields.ts';
import { printableLine, wrapText } from './pdf-text.ts';
import { boughtText, credits, money, plural } from './evidence-words.ts';
import { dateTime, day } from '../../contracts/date-words.ts';
import { MAX_PDF_BYTES, MAX_PDF_PAGES } from './evidence-pdf-limits.ts';

export { MAX_PDF_BYTES, MAX_PDF_PAGES };

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 50;
const WIDTH = PAGE.width - 2 * MARGIN;
const GREY = rgb(0.35, 0.35, 0.35);

class Writer {
  private page!: PDFPage;
  private y = 0;
  readonly pages: PDFPage[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.pages.push(this.page);
    this.y = PAGE.height - MARGIN;
  }

  text(text: string, opts: { size?: number; bold?: boolean; grey?: boolean; indent?: number; gap?: number } = {}) {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const indent = opts.indent ?? 0;
    const leading = size * 1.3;
    for (const line of wrapText(text, (ch) => font.widthOfTextAtSize(ch, size), WIDTH - indent)) {
      if (this.y - leading < MARGIN) this.newPage();
      this.y -= leading;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: opts.grey ? GREY : undefined });
    }
    this.y -= opts.gap ?? 2;
  }

  heading(text: string) {
    if (this.y - 40 < MARGIN) this.newPage();
    this.y -= 8;
    this.text(text, { size: 13, bold: true, gap: 4 });
  }

  rows(rows: Array<[string, string]>) {
    for (const [label, value] of rows) this.text(`${label}: ${value || '-'}`);
  }

  footer(title: string) {
    this.pages.forEach((p, i) => {
      p.drawText(printableLine(`${title} - page ${i + 1} of ${this.pages.length}`), {
        x: MARGIN,
        y: MARGIN / 2,
        size: 8,
        font: this.font,
        color: GREY,
      });
    });
  }
}

async function render(pack: EvidencePack, usageLimit: number): Promise<{ bytes: Uint8Array; pages: number }> {
  const f = pack.facts;
  const doc = await PDFDocument.create();
  const title = `Dispute evidence ${f.dispute.id}`;
  doc.setTitle(title);
  doc.setAuthor('Creditdesk');
  doc.setCreationDate(new Date(pack.assembledAt));
  const w = new Writer(
    doc,
    await doc.embedFont(StandardFonts.Helvetica),
    await doc.embedFont(StandardFonts.HelveticaBold),
  );

  w.text(title, { size: 18, bold: true, gap: 4 });
  w.text(
    `Disputed: ${money(f.dispute.amount, f.dispute.currency)} (${f.dispute.reason.replaceAll('_', ' ')}), ` +
      `opened ${dateTime(f.dispute.openedAt)}. Prepared ${dateTime(pack.assembledAt)}.`,
    { grey: true, gap: 8 },
  );

  w.heading('Summary');
  w.text(pack.fields.uncategorized_text || '-');
  for (const [label, value] of [
    ['Cancellation rebuttal', pack.fields.cancellation_rebuttal],
    ['Why no refund was given', pack.fields.refund_refusal_explanation],
  ] as const) {
    if (value) {
      w.text(label, { bold: true });
      w.text(value);
    }
  }

  w.heading('Customer');
  w.rows([
    ['Name', pack.fields.customer_name],
    ['Email', pack.fields.customer_email_address],
    ['Account id', f.customer.externalId],
    ['Account created', dateTime(f.customer.accountCreatedAt)],
    ['Purchase IP', pack.fields.customer_purchase_ip],
    ['Purchase device (user agent)', f.purchase.purchaseUserAgent ?? ''],
  ]);

  w.heading('Receipt');
  w.text(f.receipt);
  w.text(`Service date: ${pack.fields.service_date}`);

  w.heading('Product');
  w.text(pack.fields.product_description || '-');

  const shown = f.usage.lines.slice(0, usageLimit);
  w.heading(
    f.usage.scope === 'lot'
      ? `Use of the credits bought with this payment (${plural(f.usage.requests, 'request')}, ${credits(f.usage.credits)} credits)`
      : `Use of the account since the payment (${plural(f.usage.requests, 'request')}, ${credits(f.usage.credits)} credits)`,
  );
  if (!shown.length) w.text('No use was recorded before the dispute.');
  for (const u of shown) w.text(usageText(u), { size: 8, gap: 1 });
  const notShown = f.usage.requests - shown.length;
  if (notShown > 0)
    w.text(`... and ${plural(notShown, 'more request')} (kept in our records).`, { size: 8, grey: true });

  w.heading('Where the account was used from');
  if (!f.access.length) w.text(NO_ACCESS_RECORDED);
  for (const a of f.access) {
    w.text(
      `${a.ip ?? 'unknown IP'}${a.userAgent ? ` | ${a.userAgent}` : ''} | ${plural(a.requests, 'request')} ` +
        `from ${dateTime(a.firstAt)} to ${dateTime(a.lastAt)}`,
      { size: 9 },
    );
  }

  w.heading('Earlier payments by the same customer, not disputed');
  if (!f.priorPayments.length) w.text('None.');
  for (const p of f.priorPayments) {
    w.text(
      `${day(p.paidAt!)} | ${money(p.amount, p.currency)} | ${boughtText(p)}` +
        `${p.chargeId ? ` | ${p.chargeId}` : ''}${p.purchaseIp ? ` | IP ${p.purchaseIp}` : ''}`,
      { size: 9 },
    );
  }

  w.heading('Visa Compelling Evidence 3.0');
  w.text(f.visaCe3.note);
  for (const c of f.visaCe3.candidates) {
    w.text(
      `${c.chargeId} | ${day(c.paidAt!)} (${c.ageDays} days before) | ${money(c.amount, c.currency)} | matched on ${c.matchedOn.join(' and ').replace('user_agent', 'device')}`,
      { size: 9 },
    );
  }

  w.heading('Refund policy');
  w.text(pack.fields.refund_policy_disclosure || 'No refund policy text is set.');
  w.heading('Cancellation policy');
  w.text(pack.fields.cancellation_policy_disclosure || 'No cancellation policy text is set.');

  w.footer(title);
  const bytes = await doc.save({ useObjectStreams: true });
  return { bytes, pages: w.pages.length };
}

export interface RenderedEvidencePdf {
  bytes: Uint8Array;
  pages: number;
  size: number;
  /** Usage lines left out of the PDF to stay within the limits (beyond those never listed). */
  usageLinesDropped: number;
}

export async function renderEvidencePdf(pack: EvidencePack): Promise<RenderedEvidencePdf> {
  let limit = pack.facts.usage.lines.length;
  for (;;) {
    const { bytes, pages } = await render(pack, limit);
    if (bytes.length <= MAX_PDF_BYTES && pages <= MAX_PDF_PAGES) {
      return { bytes, pages, size: bytes.length, usageLinesDropped: pack.facts.usage.lines.length - limit };
    }
    if (limit === 0) {
      throw new AppError(
        'UNPROCESSABLE',
        `The evidence PDF is still ${pages} pages / ${bytes.length} bytes without the usage table ` +
          `(limits: ${MAX_PDF_PAGES} pages, ${MAX_PDF_BYTES} bytes): shorten the policy or summary texts`,
      );
    }
    limit = Math.floor(limit / 2);
  }
}
