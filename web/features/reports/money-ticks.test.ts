import { describe, expect, it } from 'vitest';
import { moneyTickLabel, moneyTicks } from './money-ticks';

function steps(ticks: number[]): number[] {
  return ticks.slice(1).map((t, i) => t - ticks[i]!);
}

describe('moneyTicks', () => {
  it('steps in round whole units of the currency, evenly, from 0 past the largest value', () => {
    // €70 at most: Recharts alone gave 0, 1750, 3500 … cents, labelled €0, €18, €35.
    const ticks = moneyTicks(7_000, 'eur');
    expect(ticks).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    expect(ticks.map((t) => moneyTickLabel(t, 'eur'))).toEqual(['€0', '€20', '€40', '€60', '€80']);
  });

  it('keeps every step equal and whole for amounts of any size', () => {
    for (const max of [1, 99, 100, 101, 999, 12_345, 250_000, 123_456_789, 9_999_999_999]) {
      const ticks = moneyTicks(max, 'usd');
      expect(ticks[0]).toBe(0);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(max);
      expect(new Set(steps(ticks)).size).toBe(1);
      for (const t of ticks) expect(t % 100).toBe(0);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
  });

  it('uses the currency’s own unit: yen have no minor unit', () => {
    expect(moneyTicks(7_000, 'jpy')).toEqual([0, 2_000, 4_000, 6_000, 8_000]);
    expect(moneyTickLabel(2_000, 'jpy')).toBe('JP¥2,000');
  });

  it('gives a visible axis when there is nothing to show', () => {
    expect(moneyTicks(0, 'eur')).toEqual([0, 100]);
  });
});
