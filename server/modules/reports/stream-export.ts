// Streams one export as CSV text: the header line, then one chunk per batch of lines (PostgreSQL
// writes each line), read batch by batch (keyset) as the consumer pulls, so memory stays flat
// whatever the size. Stops between
// batches when `signal` aborts (the browser cancelled the download) or the consumer stops pulling.
import { AppError } from '../../lib/app-error.ts';
import { csvLine } from './csv.ts';
import { kindQuery, type Cursor, type ExportKind, type ExportRange } from './export-kinds.ts';
import type { RowSource } from './row-source.ts';

export const EXPORT_BATCH_SIZE = 5000;
const MAX_RANGE_DAYS = 3660;

export function assertRange(range: ExportRange): void {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new AppError('VALIDATION', 'Dates are written YYYY-MM-DD');
  if (to < from) throw new AppError('VALIDATION', 'The range ends before it starts');
  if ((to - from) / 86_400_000 > MAX_RANGE_DAYS) throw new AppError('VALIDATION', 'A range covers ten years at most');
}

export interface StreamExportOptions {
  batchSize?: number;
  signal?: AbortSignal;
  /** Told after each batch (tests, logs). */
  onBatch?: (rowsSoFar: number) => void;
}

export async function countExport(source: RowSource, kind: ExportKind, range: ExportRange): Promise<number> {
  assertRange(range);
  const { sql, params } = kindQuery(kind).count(range);
  const [row] = await source.rows(sql, params);
  return Number(row?.[0] ?? 0);
}

export async function* streamExport(
  source: RowSource,
  kind: ExportKind,
  range: ExportRange,
  options: StreamExportOptions = {},
): AsyncGenerator<string> {
  assertRange(range);
  const query = kindQuery(kind);
  const limit = options.batchSize ?? EXPORT_BATCH_SIZE;
  yield csvLine(query.columns);
  let after: Cursor | null = null;
  let total = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    const { sql, params } = query.batch(range, after, limit);
    const rows = await source.rows(sql, params);
    if (!rows.length) return;
    const last = rows[rows.length - 1]!;
    after = { at: last[0] ?? null, id: last[1] ?? '' };
    let chunk = '';
    for (const row of rows) chunk += `${row[2] ?? ''}\n`;
    total += rows.length;
    options.onBatch?.(total);
    yield chunk;
    if (rows.length < limit) return;
  }
}
