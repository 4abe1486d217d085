// Credit pack lookup (what a one-shot purchase grants, and for how long).
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditPack } from '../../generated/prisma/client.ts';

export function getPack(tx: DbOrTx, key: string): Promise<CreditPack | null> {
  return tx.creditPack.findUnique({ where: { key } });
}

/** When credits bought now from this pack expire; null when they never do. */
export function packExpiry(pack: Pick<CreditPack, 'expiresAfterDays'>, from: Date = new Date()): Date | null {
  return pack.expiresAfterDays == null ? null : new Date(from.getTime() + pack.expiresAfterDays * 86_400_000);
}
