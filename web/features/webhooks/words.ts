/** The Stripe price an "unknown price price_..." error names, if any. */
export function unknownPriceOf(error: string | null | undefined): string | null {
  return /unknown price (price_[A-Za-z0-9_]+)/.exec(error ?? '')?.[1] ?? null;
}
