import { describe, expect, it } from 'vitest';
import { formatCredits, formatMoney, formatRelative, formatUtc } from './format.ts';

describe('format', () => {
  it('formats minor units by currency', () => {
    expect(formatMoney(600, 'eur')).toBe('€6.00');
    expect(formatMoney(123456, 'usd')).toBe('US$1,234.56');
    expect(formatMoney(500, 'jpy')).toBe('JP¥500');
    expect(formatMoney(-1050, 'eur')).toBe('-€10.50');
  });
  it('formats credits with separators', () => {
    expect(formatCredits(50000)).toBe('50,000');
  });
  it('formats relative and exact times', () => {
    const now = new Date('2026-11-21T10:00:00Z');
    expect(formatRelative(new Date('2026-11-21T09:57:00Z'), now)).toBe('3 min. ago');
    expect(formatUtc(new Date('2026-11-21T09:57:00Z'))).toBe('2026-11-21 09:57:00 UTC');
  });
});
