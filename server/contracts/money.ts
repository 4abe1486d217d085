// Money is integer minor units beside its currency. These currencies have no minor unit
// (Stripe's list): 500 JPY is stored as 500, 6.00 EUR as 600. The one home of that list and of
// reading typed amounts: shared by the server's texts (formulas, evidence) and the web's forms
// (refund amounts, catalog prices) and formatting.

export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
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

export function minorUnitDigits(currency: string): 0 | 2 {
  return ZERO_DECIMAL_CURRENCIES.has(currency.toLowerCase()) ? 0 : 2;
}

/**
 * A typed amount in major units as integer minor units: "6.5" and "6,5" (either decimal mark, as
 * people type it) are 650 in EUR; at most the currency's decimals; no sign, no thousands
 * separators; string arithmetic, so no float rounding. Null when the text is not such an amount.
 */
export function parseMajorAmount(text: string, currency: string): number | null {
  const digits = minorUnitDigits(currency);
  const match = (digits ? /^(\d+)(?:[.,](\d{0,2}))?$/ : /^(\d+)$/).exec(text.trim());
  if (!match) return null;
  const minor = Number(match[1]) * 10 ** digits + (digits ? Number((match[2] ?? '').padEnd(digits, '0')) : 0);
  return Number.isSafeInteger(minor) ? minor : null;
}

/** 650 EUR -> "6.50", 500 JPY -> "500": what an amount field shows. */
export function minorToMajorText(minor: number, currency: string): string {
  if (minorUnitDigits(currency) === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "EUR 6.00", exact integer arithmetic: for stored formula texts, audit reasons and evidence. */
export function moneyText(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  if (minorUnitDigits(currency) === 0) return `${code} ${minor}`;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${code} ${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "50,000" */
export function creditsText(credits: number): string {
  return new Intl.NumberFormat('en-US').format(credits);
}
