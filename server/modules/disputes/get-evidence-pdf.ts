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

type RenderedPdf = Awaited<ReturnType<typeof renderEvidencePdfInWorker>>;

const versionOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

// A pack that is not saved yet is assembled afresh on every call, "prepared" at that moment, so two
// calls a second apart give two documents. The preview asks for pages of the version it was shown;
// the last few rendered documents are kept by version so those pages are of exactly that document
// (another process, or one long gone from here, draws the current document instead).
const RECENT_PDFS = 16;
const recent = new Map<string, RenderedPdf>();
function remember(disputeId: string, version: string, pdf: RenderedPdf) {
  const key = `${disputeId}/${version}`;
  recent.delete(key);
  recent.set(key, pdf);
  while (recent.size > RECENT_PDFS) recent.delete(recent.keys().next().value!);
}

async function currentEvidencePdf(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const d = await db.dispute.findUnique({ where: { id: input.disputeId }, select: { id: true, evidence: true } });
  if (!d) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
  const pack = readStoredEvidence(d.evidence) ?? (await assembleEvidencePack(db, { disputeId: d.id, now: input.now }));
  return { disputeId: d.id, pdf: await renderEvidencePdfInWorker(pack) };
}

export async function getEvidencePdf(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const { disputeId, pdf } = await currentEvidencePdf(db, input);
  const version = versionOf(pdf.bytes);
  remember(disputeId, version, pdf);
  return {
    filename: `evidence-${disputeId}.pdf`,
    base64: Buffer.from(pdf.bytes).toString('base64'),
    version,
    pages: pdf.pages,
    bytes: pdf.size,
    usageLinesDropped: pdf.usageLinesDropped,
    limits: { pages: MAX_PDF_PAGES, bytes: MAX_PDF_BYTES },
  };
}

/**
 * One page of the PDF as a PNG (1-based page number): of the named version when this process
 * rendered it lately, else of the current document. `version` says which one was drawn.
 */
export async function getEvidencePageImage(
  db: DbOrTx,
  input: { disputeId: string; page: number; version?: string },
): Promise<{ png: Buffer; version: string }> {
  const kept = input.version ? recent.get(`${input.disputeId}/${input.version}`) : undefined;
  const pdf = kept ?? (await currentEvidencePdf(db, input)).pdf;
  const version = kept ? input.version! : versionOf(pdf.bytes);
  return { png: await renderPdfPageImage(pdf.bytes, input.page, pdf.pages), version };
}
