// Keyset ("seek") pagination for lists ordered newest first by (a timestamp, id): the cursor is
// the last row's pair, and the next page is the rows strictly after it in that order. Unlike an
// offset, a row inserted while someone pages (a new event, a new block) cannot shift the later
// pages, so nothing repeats and nothing is skipped. Timestamps are Prisma DateTime columns
// (millisecond precision), so the millisecond in the cursor is exact.
import { AppError } from './app-error.ts';

export interface Keyset {
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of "<ISO time>|<id>". */
function encodeKeyset(at: Date, id: string | bigint): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

export function decodeKeyset(cursor: string | null | undefined): Keyset | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  const at = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (bar < 0 || !id || Number.isNaN(at.getTime())) {
    throw new AppError('VALIDATION', 'This list link is out of date (bad page cursor); open the list again.');
  }
  return { at, id };
}

/**
 * The Prisma filter for "after the cursor" in `ORDER BY <field> DESC, id DESC`. Callers order by
 * exactly those two columns; a different order would make the filter skip or repeat rows.
 */
export function olderThan<F extends string>(field: F, after: Keyset) {
  return {
    OR: [
      { [field]: { lt: after.at } } as Record<F, { lt: Date }>,
      { [field]: after.at, id: { lt: after.id } } as Record<F, Date> & { id: { lt: string } },
    ],
  };
}

/** The page of `limit` rows from `limit + 1` fetched, and the cursor to the next one. */
export function pageOf<T>(rows: T[], limit: number, key: (row: T) => { at: Date; id: string | bigint }) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const k = rows.length > limit && last ? key(last) : null;
  return { items, nextCursor: k ? encodeKeyset(k.at, k.id) : null };
}
