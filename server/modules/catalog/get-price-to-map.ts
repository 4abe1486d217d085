// One price for the mapping dialog: what Stripe says it is, what it would naturally sell (a
// one-time price a pack, a recurring one a plan), whether the catalog maps it already, and the
// events waiting on it. Opened from a customer's verdict or the catalog's price list.
import type Stripe from 'stripe';
import type { DbOrTx } from '../../db/tx.ts';
import { describePrices, suggestedKindOf, type PriceDetails } from './describe-prices.ts';
import { findEventsWaitingOnPrices } from './find-events-waiting-on-prices.ts';
import { findPriceMapping } from './find-price-mapping.ts';

export interface PriceToMap {
  priceId: string;
  details: PriceDetails | null;
  suggestedKind: 'plan' | 'pack' | null;
  /** What sells it now; null while unmapped. */
  mappedTo: { kind: 'plan' | 'pack'; key: string; name: string } | null;
  waitingEventIds: string[];
}

export async function getPriceToMap(db: DbOrTx, stripe: Stripe | null, priceId: string): Promise<PriceToMap> {
  const [described, waiting, mapping] = await Promise.all([
    describePrices(db, stripe, [priceId]),
    findEventsWaitingOnPrices(db, [priceId]),
    findPriceMapping(db, priceId),
  ]);
  const details = described.get(priceId) ?? null;
  return {
    priceId,
    details,
    suggestedKind: suggestedKindOf(details),
    mappedTo: !mapping
      ? null
      : mapping.kind === 'plan'
        ? { kind: 'plan', key: mapping.plan.key, name: mapping.plan.name }
        : { kind: 'pack', key: mapping.pack.key, name: mapping.pack.name },
    waitingEventIds: waiting.get(priceId)?.eventIds ?? [],
  };
}
