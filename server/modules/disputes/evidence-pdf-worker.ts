// Worker-thread entry: renders one evidence pack per message, so a large pack costs this thread's
// time and never the event loop that answers staff, the service API and Stripe's webhooks.
import { parentPort } from 'node:worker_threads';
import type { EvidencePack } from '../../contracts/disputes.ts';
import { isAppError } from '../../lib/app-error.ts';
import { renderEvidencePdf } from './render-evidence-pdf.ts';

export interface PdfJob {
  id: number;
  pack: EvidencePack;
}

export type PdfJobResult =
  | { id: number; ok: true; bytes: Uint8Array; pages: number; size: number; usageLinesDropped: number }
  | { id: number; ok: false; code: string | null; message: string };

parentPort?.on('message', (job: PdfJob) => {
  renderEvidencePdf(job.pack).then(
    (pdf) => {
      const result: PdfJobResult = { id: job.id, ok: true, ...pdf };
      parentPort!.postMessage(result, [pdf.bytes.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      const result: PdfJobResult = {
        id: job.id,
        ok: false,
        code: isAppError(error) ? error.code : null,
        message: error instanceof Error ? error.message : String(error),
      };
      parentPort!.postMessage(result);
    },
  );
});
