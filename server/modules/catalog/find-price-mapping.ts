// Stripe price -> what it sells. The billing pipeline asks this for every checkout and invoice
// line; a price the catalog does not know is answered with null (the caller decides: defer, alert).
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditPack, Plan } from '../../generated/prisma/client.ts';
import { boundBillingCatalog } from './billing-catalog.ts';

export type PriceMapping = { kind: 'plan'; plan: Plan } | { kind: 'pack'; pack: CreditPack };

export async function findPriceMapping(tx: DbOrTx, stripePriceId: string): Promise<PriceMapping | null> {
  // The pipeline's in-memory catalog answers what it knows (billing-catalog.ts); the rest is read.
  const catalog = boundBillingCatalog(tx);
  const known = catalog?.prices.get(stripePriceId);
  const plan = known?.planKey ? catalog!.plans.get(known.planKey) : undefined;
  if (plan) return { kind: 'plan', plan };
  const pack = known?.packKey && !known.planKey ? catalog!.packs.get(known.packKey) : undefined;
  if (pack) return { kind: 'pack', pack };
  const price = await tx.catalogPrice.findUnique({
    where: { stripePriceId },
    include: { plan: true, pack: true },
  });
  if (price?.plan) return { kind: 'plan', plan: price.plan };
  if (price?.pack) return { kind: 'pack', pack: price.pack };
  return null;
}
