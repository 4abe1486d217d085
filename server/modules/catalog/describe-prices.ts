// What a Stripe price is, in the words support needs (name, amount, one-time or recurring), for
// prices the catalog may not know: asked of Stripe when connected, else read from the newest price
// object a stored event carried. Used by the price mapping helper and the customer verdict.
import type Stripe from 'stripe';
import type { DbOrTx } from '../../db/tx.ts';

/** Prices looked up at once; the callers ask for the few named by failed events. */
const MAX_LOOKUPS = 20;

export interface PriceDetails {
  nickname: string | null;
  product: string | null;
  /** The product's name, when the product came expanded. */
  productName: string | null;
  unitAmount: number | null;
  currency: string | null;
  /** "month", "year"... for a recurring price; null for a one-time price. */
  interval: string | null;
  recurring: boolean | null;
  active: boolean | null;
}

export function detailsOf(price: Partial<Stripe.Price> | Record<string, unknown>): PriceDetails {
  const p = price as Partial<Stripe.Price>;
  const expanded = typeof p.product === 'object' ? (p.product as { id?: string; name?: string } | null) : null;
  const product = typeof p.product === 'string' ? p.product : (expanded?.id ?? null);
  return {
    nickname: p.nickname ?? null,
    product,
    productName: expanded?.name ?? null,
    unitAmount: p.unit_amount ?? null,
    currency: p.currency ?? null,
    interval: p.recurring?.interval ?? null,
    recurring: p.type ? p.type === 'recurring' : p.recurring !== undefined ? p.recurring !== null : null,
    active: p.active ?? null,
  };
}

/** A recurring price sells a plan, a one-time price a credit pack; null when unknown. */
export function suggestedKindOf(details: PriceDetails | null | undefined): 'plan' | 'pack' | null {
  return details?.recurring == null ? null : details.recurring ? 'plan' : 'pack';
}

/** The name people know the price by: its nickname, else its product's name (or id). */
export function priceName(details: PriceDetails | null | undefined): string | null {
  return details?.nickname ?? details?.productName ?? details?.product ?? null;
}

/** Newest price objects stored events carried, by id. */
export async function storedPriceObjects(
  db: DbOrTx,
  priceIds: readonly string[],
  since?: Date,
): Promise<Map<string, PriceDetails>> {
  if (!priceIds.length) return new Map();
  const sinceIso = (since ?? new Date(0)).toISOString();
  const objects = await db.$queryRaw<Array<{ id: string; price: Record<string, unknown> }>>`
    SELECT DISTINCT ON (p.v ->> 'id') p.v ->> 'id' AS id, p.v AS price
      FROM stripe_event e
      CROSS JOIN LATERAL jsonb_path_query(e.payload, 'lax $.** ? (@.object == "price")') AS p(v)
     WHERE e.created >= ${sinceIso}::timestamptz
       AND p.v ->> 'id' = ANY(${[...priceIds]}::text[])
     ORDER BY p.v ->> 'id', e.created DESC`;
  return new Map(objects.map((o) => [o.id, detailsOf(o.price)]));
}

/** Details of each price that could be found; a Stripe error only leaves that price to the payloads. */
export async function describePrices(
  db: DbOrTx,
  stripe: Stripe | null,
  priceIds: readonly string[],
): Promise<Map<string, PriceDetails>> {
  const ids = [...new Set(priceIds)].slice(0, MAX_LOOKUPS);
  const out = new Map<string, PriceDetails>();
  if (stripe) {
    await Promise.all(
      ids.map(async (id) => {
        try {
          out.set(id, detailsOf(await stripe.prices.retrieve(id, { expand: ['product'] })));
        } catch {
          // Not in this Stripe account (or Stripe unreachable): the stored payloads may know it.
        }
      }),
    );
  }
  const rest = ids.filter((id) => !out.has(id));
  for (const [id, details] of await storedPriceObjects(db, rest)) out.set(id, details);
  return out;
}
