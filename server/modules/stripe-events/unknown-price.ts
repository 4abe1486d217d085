// The unknown-price cause with what the payload tells about the price (amount, currency, product),
// so an admin can see what it sells before mapping it, without opening Stripe.
import type Stripe from 'stripe';
import type { EventCauseOf } from '../../contracts/event-causes.ts';

/** What a payload says about a price besides its id (a line item's description, amount...). */
export interface PriceSeen {
  amount?: number | null;
  currency?: string | null;
  productId?: string | null;
  productName?: string | null;
  priceType?: 'recurring' | 'one_time' | null;
}

const nonEmpty = (s: string | null | undefined) => (s && s.trim() ? s.trim().slice(0, 500) : null);

/** What a Stripe Price object (when expanded) says, overlaid by what the caller saw beside it. */
export function priceSeen(price: Stripe.Price | string | null | undefined, beside: PriceSeen = {}): PriceSeen {
  const p = price && typeof price === 'object' ? price : null;
  const product = p?.product && typeof p.product === 'object' ? p.product : null;
  return {
    amount: beside.amount ?? p?.unit_amount ?? null,
    currency: beside.currency ?? p?.currency ?? null,
    productId: beside.productId ?? (typeof p?.product === 'string' ? p.product : (product?.id ?? null)),
    productName:
      nonEmpty(beside.productName) ??
      nonEmpty(product && 'name' in product ? product.name : null) ??
      nonEmpty(p?.nickname),
    priceType: beside.priceType ?? (p?.type === 'recurring' ? 'recurring' : p?.type === 'one_time' ? 'one_time' : null),
  };
}

export function unknownPrice(priceId: string, seen: PriceSeen = {}): EventCauseOf<'unknown_price'> {
  return {
    code: 'unknown_price',
    detail: {
      priceId,
      amount: seen.amount ?? null,
      currency: seen.currency ?? null,
      productId: seen.productId ?? null,
      productName: seen.productName ?? null,
      priceType: seen.priceType ?? null,
    },
  };
}
