// Money is integer minor units beside its currency. These currencies have no minor unit
// (Stripe's list): 500 JPY is stored as 500, 6.00 EUR as 600. Shared by the server's texts
// (formulas, evidence) and the web's formatting.

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
