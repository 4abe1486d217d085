// One page of the evidence PDF drawn as a PNG, for the preview tab. Browsers without a PDF viewer
// (headless, kiosk) and our own CSP (object-src 'none', frame-ancestors 'none') leave an embedded
// PDF blank, while an <img> from our own origin shows everywhere. Poppler's pdftoppm draws the
// page in a child process (the event loop stays free), at most two at a time on a small machine,
// each within a time limit.
import { execFile } from 'node:child_process';
import { AppError } from '../../lib/app-error.ts';

/** Enough to read 8 pt text on screen at the preview's width, small enough to send quickly. */
const DPI = 110;
const TIME_LIMIT_MS = 15_000;
const MAX_AT_ONCE = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function pdftoppm(pdf: Uint8Array, page: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'pdftoppm',
      ['-png', '-r', String(DPI), '-f', String(page), '-l', String(page), '-singlefile', '-'],
      { encoding: 'buffer', maxBuffer: 32 * 1024 * 1024, timeout: TIME_LIMIT_MS },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new AppError(
              'UNPROCESSABLE',
              'The server cannot draw PDF pages: install poppler-utils (pdftoppm). ' + 'Download the PDF to read it.',
            ),
          );
        }
        reject(new Error(`pdftoppm failed on page ${page}: ${stderr.toString().trim() || err.message}`));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(Buffer.from(pdf));
  });
}

/** PNG bytes of page `page` (1-based) of `pdf`, which has `pages` pages. */
export function renderPdfPageImage(pdf: Uint8Array, page: number, pages: number): Promise<Buffer> {
  if (!Number.isInteger(page) || page < 1 || page > pages) {
    return Promise.reject(new AppError('NOT_FOUND', `The evidence PDF has ${pages} pages; there is no page ${page}`));
  }
  return slot(() => pdftoppm(pdf, page));
}
