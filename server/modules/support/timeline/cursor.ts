// The timeline's position: the last item shown, as (time, source rank, id). Items are ordered by
// time, then rank, then id, all descending, so "after the cursor" is exact even when several
// sources share a millisecond (Stripe's event times only have seconds).
import { AppError } from '../../../lib/app-error.ts';

export interface TimelineCursor {
  /** Milliseconds since the epoch. */
  t: number;
  r: number;
  i: string;
}

export function encodeCursor(cursor: TimelineCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string | null | undefined): TimelineCursor | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<TimelineCursor>;
    if (typeof parsed.t === 'number' && typeof parsed.r === 'number' && typeof parsed.i === 'string') {
      return { t: parsed.t, r: parsed.r, i: parsed.i };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('VALIDATION', 'This timeline position is not valid any more; start from the top');
}

/**
 * How a source of rank `rank` continues after the cursor: strictly older, the same time when it
 * sorts below the cursor's source, or the same time and rank with a smaller id.
 */
export type CursorBound =
  | { mode: 'none' }
  | { mode: 'before'; at: Date }
  | { mode: 'atOrBefore'; at: Date }
  | { mode: 'beforeId'; at: Date; id: string };

export function boundFor(cursor: TimelineCursor | null, rank: number): CursorBound {
  if (!cursor) return { mode: 'none' };
  const at = new Date(cursor.t);
  if (rank > cursor.r) return { mode: 'before', at };
  if (rank < cursor.r) return { mode: 'atOrBefore', at };
  return { mode: 'beforeId', at, id: cursor.i };
}
