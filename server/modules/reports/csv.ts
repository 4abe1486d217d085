// CSV as RFC 4180 writes it: comma-separated, CRLF-free (\n line ends), a cell quoted only when it
// holds a comma, quote or line break. Cells that a spreadsheet would run as a formula (=, +, -, @
// at the start of text) are prefixed with ' so an export opened in Excel cannot execute anything.
import type { Cell } from './row-source.ts';

const NEEDS_QUOTES = /[",\n\r]/;
const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

export function csvCell(value: Cell): string {
  if (value === null || value === '') return '';
  const safe = FORMULA.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: readonly Cell[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i ? ',' : '') + csvCell(cells[i] ?? null);
  return `${line}\n`;
}
