// Stripe sends decimal fields as strings ("2000"); the SDK types them as its own `Decimal`
// class because it converts them after parsing. Stored objects hold the wire form.
import type Stripe from 'stripe';

export function wireDecimal(value: number | string): Stripe.Decimal {
  return String(value) as unknown as Stripe.Decimal;
}
