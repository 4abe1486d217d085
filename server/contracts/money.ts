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

const MONEY_FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * The one money format, for every text the server writes (verdicts, formulas, audit reasons,
 * evidence) and every amount the web shows: 600 EUR -> "€6.00", 123456 USD ->
 * "US$1,234.56", 500 JPY -> "JP¥500", 600 CHF -> "CHF 6.00". Intl picks the symbol; the number
 * goes in as exact decimal text (Intl reads strings as decimals, never minor / 100), so no float rounding at any size. Plain
 * spaces instead of Intl's no-break ones, so text reads the same in a PDF, a CSV cell or a test.
 */
export function formatMoney(minor: number, currency: string): string {
  const code = currency.toUpperCase();
  let format = MONEY_FORMATS.get(code);
  if (!format) {
    const digits = minorUnitDigits(code);
    try {
      format = new Intl.NumberFormat('en-GB', {
        style: 'currency',
        currency: code,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      // Not an ISO currency code Intl knows: the code and the amount, still exact.
      return `${code} ${minorToMajorText(minor, code)}`;
    }
    MONEY_FORMATS.set(code, format);
  }
  return format.format(minorToMajorText(minor, code) as `${number}`).replace(/[\u00a0\u202f]/g, ' ');
}

/** "50,000": credits with thousands separators, on the server and the web alike. */
export function formatCredits(credits: number): string {
  return new Intl.NumberFormat('en-US').format(credits);
}
