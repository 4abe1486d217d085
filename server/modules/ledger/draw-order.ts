// The draw-down order, for display. The database function applies the same order when it draws
// (ORDER BY expires_at ASC NULLS LAST, cost_basis = 'paid', created_at, id); a test holds the two
// together.
import type { CreditLot } from '../../generated/prisma/client.ts';

type Orderable = Pick<CreditLot, 'id' | 'expiresAt' | 'costBasis' | 'createdAt'>;

export const DRAW_ORDER_TEXT =
  'Soonest expiry first (lots that never expire last), then free before paid, then oldest first. Frozen and expired lots are skipped.';

export function compareDrawOrder(a: Orderable, b: Orderable): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea < eb ? -1 : 1;
  if (a.costBasis !== b.costBasis) return a.costBasis === 'free' ? -1 : 1;
  const ca = a.createdAt.getTime();
  const cb = b.createdAt.getTime();
  if (ca !== cb) return ca - cb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Whether draws may take from the lot right now. */
export function isSpendable(lot: Pick<CreditLot, 'remaining' | 'frozen' | 'expiresAt'>, now: Date): boolean {
  return lot.remaining > 0 && !lot.frozen && (lot.expiresAt === null || lot.expiresAt > now);
}
