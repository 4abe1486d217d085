// Reading jsonb rows: timestamps come as ISO 8601 text with their offset, ids as text or numbers.
import type { Row } from './load-rows.ts';

export const str = (r: Row, k: string): string => String(r[k] ?? '');
export const optStr = (r: Row, k: string): string | null => (r[k] == null ? null : String(r[k]));
export const num = (r: Row, k: string): number => Number(r[k] ?? 0);
export const date = (r: Row, k: string): Date => {
  return new Date(String(r[k]));
};
export const optDate = (r: Row, k: string): Date | null => (r[k] == null ? null : date(r, k));
