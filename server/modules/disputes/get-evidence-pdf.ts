// The PDF as it would be uploaded, for preview and download: the saved pack, or a freshly
// assembled one while nothing is saved. Base64 so it travels through tRPC like any answer.
import type { DbOrTx } from '../../db/tx.ts';
import { AppError } from '../../lib/app-error.ts';
import { assembleEvidencePack } from './assemble-evidence-pack.ts';
import { readStoredEvidence } from './evidence-store.ts';
import { MAX_PDF_BYTES, MAX_PDF_PAGES } from './render-evidence-pdf.ts';
import { renderEvidencePdfInWorker } from './render-evidence-pdf-in-worker.ts';

export async function getEvidencePdf(db: DbOrTx, input: { disputeId: string; now?: Date }) {
  const d = await db.dispute.findUnique({ where: { id: input.disputeId }, select: { id: true, evidence: true } });
  if (!d) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
  const pack = readStoredEvidence(d.evidence) ?? (await assembleEvidencePack(db, { disputeId: d.id, now: input.now }));
  const pdf = await renderEvidencePdfInWorker(pack);
  return {
    filename: `evidence-${d.id}.pdf`,
    base64: Buffer.from(pdf.bytes).toString('base64'),
    pages: pdf.pages,
    bytes: pdf.size,
    usageLinesDropped: pdf.usageLinesDropped,
    limits: { pages: MAX_PDF_PAGES, bytes: MAX_PDF_BYTES },
  };
}
