// Stripe price -> what it sells. The billing pipeline asks this for every checkout and invoice
// line; a price the catalog does not know is answered with null (the caller decides: defer, alert).
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditPack, Plan } from '../../generated/prisma/client.ts';

export type PriceMapping = { kind: 'plan'; plan: Plan } | { kind: 'pack'; pack: CreditPack };

export async function findPriceMapping(tx: DbOrTx, stripePriceId: string): Promise<PriceMapping | null> {
  const price = await tx.catalogPrice.findUnique({
    where: { stripePriceId },
    include: { plan: true, pack: true },
  });
  if (price?.plan) return { kind: 'plan', plan: price.plan };
  if (price?.pack) return { kind: 'pack', pack: price.pack };
  return null;
}
