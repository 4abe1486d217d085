// Credit pack lookup (what a one-shot purchase grants, and for how long).
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditPack } from '../../generated/prisma/client.ts';
import { boundBillingCatalog } from './billing-catalog.ts';

/** From the pipeline's in-memory catalog when one is bound to `tx` and knows the pack (billing-catalog.ts). */
export async function getPack(tx: DbOrTx, key: string): Promise<CreditPack | null> {
  return boundBillingCatalog(tx)?.packs.get(key) ?? tx.creditPack.findUnique({ where: { key } });
}

/** When credits bought now from this pack expire; null when they never do. */
export function packExpiry(pack: Pick<CreditPack, 'expiresAfterDays'>, from: Date = new Date()): Date | null {
  return pack.expiresAfterDays == null ? null : new Date(from.getTime() + pack.expiresAfterDays * 86_400_000);
}
