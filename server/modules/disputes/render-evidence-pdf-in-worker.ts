// Renders evidence PDFs on a worker thread, one at a time, each within a time limit, and keeps the
// last few results keyed by the pack's content: previewing, downloading and staging the same saved
// pack renders it once, and a pack that somehow renders too long is stopped (the worker is ended
// and replaced) instead of holding the process. Callers get the same answer as renderEvidencePdf.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { EvidencePack } from '../../contracts/disputes.ts';
import { AppError, APP_ERROR_CODES, type AppErrorCode } from '../../lib/app-error.ts';
import { canonicalJson } from '../../lib/json.ts';
import { PROJECT_ROOT } from '../../lib/project-root.ts';
import type { PdfJob, PdfJobResult } from './evidence-pdf-worker.ts';
import type { RenderedEvidencePdf } from './render-evidence-pdf.ts';

/** A pack of Stripe's maximum size renders in well under a second; this only stops the pathological. */
const PDF_TIME_LIMIT_MS = 20_000;
const CACHED_PDFS = 32;

// From the TypeScript sources (dev, tests) the worker needs tsx's loader (it is not inherited when
// the parent is a test runner), resolved to a path so the working directory does not matter. The
// production build (scripts/build.mjs) compiles the worker to dist/server/evidence-pdf-worker.js,
// which plain node runs: tsx is a devDependency and absent there.
function workerEntry(): { url: URL; execArgv: string[] } {
  if (!import.meta.url.endsWith('.ts')) {
    return { url: pathToFileURL(path.join(PROJECT_ROOT, 'dist/server/evidence-pdf-worker.js')), execArgv: [] };
  }
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { url: new URL('./evidence-pdf-worker.ts', import.meta.url), execArgv: ['--import', tsx] };
}

interface Pending {
  resolve: (pdf: RenderedEvidencePdf) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
  worker: Worker;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
let line: Promise<unknown> = Promise.resolve();
const cache = new Map<string, Promise<RenderedEvidencePdf>>();

function failJobsOf(w: Worker, error: unknown): void {
  for (const [id, p] of pending) {
    if (p.worker !== w) continue;
    clearTimeout(p.timer);
    pending.delete(id);
    p.reject(error);
  }
}

function startWorker(): Worker {
  const entry = workerEntry();
  const w = new Worker(entry.url, { execArgv: entry.execArgv });
  w.on('message', (r: PdfJobResult) => {
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    clearTimeout(p.timer);
    if (pending.size === 0) w.unref();
    if (r.ok) p.resolve({ bytes: r.bytes, pages: r.pages, size: r.size, usageLinesDropped: r.usageLinesDropped });
    else if (r.code && r.code in APP_ERROR_CODES) p.reject(new AppError(r.code as AppErrorCode, r.message));
    else p.reject(new Error(`Evidence PDF rendering failed: ${r.message}`));
  });
  const gone = (error: unknown) => {
    if (worker === w) worker = null;
    failJobsOf(w, error);
  };
  w.on('error', gone);
  w.on('exit', (code) => gone(new Error(`The evidence PDF worker stopped (exit code ${code})`)));
  return w;
}

function renderOnce(pack: EvidencePack, timeLimitMs: number): Promise<RenderedEvidencePdf> {
  return new Promise<RenderedEvidencePdf>((resolve, reject) => {
    const w = (worker ??= startWorker());
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      if (worker === w) worker = null;
      void w.terminate();
      reject(
        new AppError(
          'UNPROCESSABLE',
          `The evidence PDF took longer than ${Math.round(timeLimitMs / 1000)} s to render and was stopped: ` +
            'shorten the longest texts and try again',
        ),
      );
    }, timeLimitMs);
    pending.set(id, { resolve, reject, timer, worker: w });
    w.ref();
    const job: PdfJob = { id, pack };
    w.postMessage(job);
  });
}

/** What the PDF is drawn from: the same pack always gives the same document. */
function packKey(pack: EvidencePack): string {
  return createHash('sha256')
    .update(canonicalJson({ assembledAt: pack.assembledAt, facts: pack.facts, fields: pack.fields }))
    .digest('hex');
}

export function renderEvidencePdfInWorker(
  pack: EvidencePack,
  opts: { timeLimitMs?: number } = {},
): Promise<RenderedEvidencePdf> {
  const key = packKey(pack);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // One render at a time: two cores are shared with the server, and a burst of previews queues.
  const result = line.then(() => renderOnce(pack, opts.timeLimitMs ?? PDF_TIME_LIMIT_MS));
  line = result.catch(() => undefined);
  cache.set(key, result);
  result.catch(() => cache.delete(key));
  while (cache.size > CACHED_PDFS) cache.delete(cache.keys().next().value!);
  return result;
}
