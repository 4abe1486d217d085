// The PDF as it would be uploaded, for preview and download: the saved pack, or a freshly
// assembled one while nothing is saved. Base64 so it travels through tRPC like any answer; the
// version (a hash of the bytes) names the page images of exactly this document.
import { createHash } from 'node:crypto';
import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { renderPdfPageImage } from './evidence-page-image.ts';
import { readStoredEvidence } from './evidence-store.ts';
import { MAX_PDF_BYTES, MAX_PDF_PAGES } from './evidence-pdf-limits.ts';
import { renderEvidencePdfInWorker } from './render-evidence-pdf-in-worker.ts';

async function currentEvidencePdf(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const d = await db.dispute.findUnique({ where: { id: input.disputeId }, select: { id: true, evidence: true } });
  if (!d) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
  const pack = readStoredEvidence(d.evidence) ?? (await assembleEvidencePack(db, { disputeId: d.id, now: input.now }));
  return { disputeId: d.id, pdf: await renderEvidencePdfInWorker(pack) };
}

export async function getEvidencePdf(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const { disputeId, pdf } = await currentEvidencePdf(db, input);
  return {
    filename: `evidence-${disputeId}.pdf`,
    base64: Buffer.from(pdf.bytes).toString('base64'),
    version: createHash('sha256').update(pdf.bytes).digest('hex').slice(0, 16),
    pages: pdf.pages,
    bytes: pdf.size,
    usageLinesDropped: pdf.usageLinesDropped,
    limits: { pages: MAX_PDF_PAGES, bytes: MAX_PDF_BYTES },
  };
}

/** One page of that same PDF as a PNG (1-based page number). */
export async function getEvidencePageImage(db: DbOrTx, input: { disputeId: string; page: number }) {
  const { pdf } = await currentEvidencePdf(db, input);
  return renderPdfPageImage(pdf.bytes, input.page, pdf.pages);
}
