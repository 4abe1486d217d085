// Downloads a CSV export with progress and cancel: the browser streams the response, counting lines
// as they arrive against the X-Total-Rows the server announced; Cancel aborts the fetch, which
// closes the connection and stops the export on the server before its next batch.
import { useCallback, useRef, useState } from 'react';
import type { ExportKindValue, ReportRange } from '../../../server/contracts/reports.ts';

export type ExportState =
  | { status: 'idle' }
  | { status: 'running'; kind: ExportKindValue; rows: number; total: number | null }
  | { status: 'done'; kind: ExportKindValue; rows: number }
  | { status: 'cancelled'; kind: ExportKindValue; rows: number }
  | { status: 'error'; kind: ExportKindValue; message: string };

function exportUrl(kind: ExportKindValue, range: ReportRange): string {
  return `/api/staff/exports/${kind}.csv?${new URLSearchParams({ from: range.from, to: range.to })}`;
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return res.status === 401 ? 'Your session has ended. Sign in again.' : `The export failed (HTTP ${res.status}).`;
}

function save(parts: BlobPart[], filename: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useCsvExport() {
  const [state, setState] = useState<ExportState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(async (kind: ExportKindValue, range: ReportRange) => {
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setState({ status: 'running', kind, rows: 0, total: null });
    let rows = 0;
    try {
      const res = await fetch(exportUrl(kind, range), { signal: abort.signal, credentials: 'same-origin' });
      if (!res.ok || !res.body) {
        setState({ status: 'error', kind, message: await errorMessage(res) });
        return;
      }
      const header = res.headers.get('x-total-rows');
      const total = header === null ? null : Number(header);
      const filename =
        /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `creditdesk-${kind}.csv`;
      const reader = res.body.getReader();
      const parts: BlobPart[] = [];
      let lines = 0;
      let shown = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines += 1;
        rows = Math.max(0, lines - 1);
        // Re-render at most every 1% (or 2,000 rows) so a million-row export stays smooth.
        if (rows - shown >= Math.max(2000, (total ?? 0) / 100)) {
          shown = rows;
          setState({ status: 'running', kind, rows, total });
        }
      }
      save(parts, filename);
      setState({ status: 'done', kind, rows });
    } catch (err) {
      if (abort.signal.aborted) setState({ status: 'cancelled', kind, rows });
      else setState({ status: 'error', kind, message: err instanceof Error ? err.message : 'The export failed.' });
    } finally {
      if (controller.current === abort) controller.current = null;
    }
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, start, cancel };
}
