import { describe, expect, it } from 'vitest';
import { formatCredits, formatMoney, minorToMajorText, parseMajorAmount } from './money.ts';

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

describe('the one money format (server texts and web alike)', () => {
  it('writes minor units with the currency symbol, grouped, exact', () => {
    expect(formatMoney(600, 'eur')).toBe('€6.00');
    expect(formatMoney(600, 'EUR')).toBe('€6.00');
    expect(formatMoney(5, 'usd')).toBe('US$0.05');
    expect(formatMoney(123456, 'usd')).toBe('US$1,234.56');
    expect(formatMoney(-1050, 'gbp')).toBe('-£10.50');
    expect(formatMoney(1200, 'jpy')).toBe('JP¥1,200');
    // Beyond what a double holds exactly after dividing by 100: still every digit.
    expect(formatMoney(900719925474099, 'eur')).toBe('€9,007,199,254,740.99');
  });

  it('uses plain spaces where Intl puts a no-break one, and survives an unknown code', () => {
    expect(formatMoney(600, 'chf')).toBe('CHF 6.00');
    expect(formatMoney(600, 'xx1')).toBe('XX1 6.00');
  });

  it('writes credits with thousands separators', () => {
    expect(formatCredits(50000)).toBe('50,000');
    expect(formatCredits(-1200)).toBe('-1,200');
  });
});
