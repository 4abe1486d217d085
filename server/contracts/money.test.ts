import { describe, expect, it } from 'vitest';
import { minorToMajorText, parseMajorAmount } from './money.ts';

describe('typed amounts (one parser for refunds and catalog prices)', () => {
  it('reads either decimal mark, at most the currency decimals, as integer minor units', () => {
    expect(parseMajorAmount('6.5', 'eur')).toBe(650);
    expect(parseMajorAmount('6,5', 'eur')).toBe(650);
    expect(parseMajorAmount(' 6,05 ', 'EUR')).toBe(605);
    expect(parseMajorAmount('0.29', 'usd')).toBe(29);
    expect(parseMajorAmount('100', 'eur')).toBe(10000);
    expect(parseMajorAmount('6.', 'eur')).toBe(600);
    expect(parseMajorAmount('1200', 'jpy')).toBe(1200);
  });

  it('refuses what is not such an amount', () => {
    for (const bad of ['', '-3', '6.555', '1,000.00', '6.5.1', 'abc', '1e3', '.5']) {
      expect(parseMajorAmount(bad, 'eur'), bad).toBeNull();
    }
    expect(parseMajorAmount('1.5', 'jpy')).toBeNull();
    expect(parseMajorAmount('1,5', 'jpy')).toBeNull();
    expect(parseMajorAmount('99999999999999999', 'eur')).toBeNull();
  });

  it('shows minor units as the amount a field holds, and reads it back', () => {
    expect(minorToMajorText(650, 'eur')).toBe('6.50');
    expect(minorToMajorText(5, 'eur')).toBe('0.05');
    expect(minorToMajorText(-1050, 'eur')).toBe('-10.50');
    expect(minorToMajorText(500, 'jpy')).toBe('500');
    for (const minor of [0, 1, 99, 650, 123456])
      expect(parseMajorAmount(minorToMajorText(minor, 'eur'), 'eur')).toBe(minor);
  });
});
