// Amount entry for refunds: finance types major units ("6.00"); the server takes minor units.
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);

export function minorDigits(currency: string): number {
  return ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
}

/** "6.5" -> 650 for EUR; null when the text is not an amount with at most the currency's decimals. */
export function toMinor(text: string, currency: string): number | null {
  const digits = minorDigits(currency);
  const t = text.trim().replace(',', '.');
  const re = digits ? /^\d+(\.\d{0,2})?$/ : /^\d+$/;
  if (!re.test(t)) return null;
  const [whole, frac = ''] = t.split('.');
  return Number(whole) * 10 ** digits + Number((frac + '00').slice(0, digits) || 0);
}

export function toMajorText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return digits ? (minor / 10 ** digits).toFixed(digits) : String(minor);
}
