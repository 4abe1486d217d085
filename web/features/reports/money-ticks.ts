// Money axis ticks at round amounts of the currency's major unit (€0, €20, €40 …). Recharts picks
// "nice" ticks in the numbers it is given, which are minor units, so left alone it chose €0, €17.50,
// €35 … and the whole-unit labels then read €0, €18, €35: uneven steps on a finance screen.
import { formatMoney, minorUnitDigits } from '@/lib/format';

const STEPS = [1, 2, 2.5, 5, 10];

/** Evenly spaced ticks from 0 covering `maxMinor`, each a whole number of major units. */
export function moneyTicks(maxMinor: number, currency: string, intervals = 4): number[] {
  const unit = 10 ** minorUnitDigits(currency);
  const maxMajor = Math.max(maxMinor, 0) / unit;
  if (maxMajor === 0) return [0, unit];
  const raw = maxMajor / intervals;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // 2.5 × 10^0 would make a tick of 2.5 units: not whole, so the next step up.
  const step = Math.max(
    1,
    STEPS.map((s) => s * magnitude).find((s) => s >= raw && Number.isInteger(s)) ?? 10 * magnitude,
  );
  const count = Math.ceil(maxMajor / step);
  return Array.from({ length: count + 1 }, (_, i) => i * step * unit);
}

/** "€20", "US$1,500", "JP¥500": a tick's label, without the zero decimals every tick would carry. */
export function moneyTickLabel(minor: number, currency: string): string {
  return formatMoney(minor, currency).replace(/[.,]00$/, '');
}
