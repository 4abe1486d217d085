// A customer's balance as a support agent needs to explain it: the projection, what can be spent
// right now, what is frozen or past its expiry, and the lots in the order draws will use them.
import type { DbOrTx } from '../../db/tx.ts';
import type { CreditLot } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { compareDrawOrder, DRAW_ORDER_TEXT, isSpendable } from './draw-order.ts';

export interface LotView extends CreditLot {
  /** 1-based place in the draw-down order; null when draws skip the lot (frozen, expired, empty). */
  drawPosition: number | null;
  expired: boolean;
}

export interface BalanceView {
  customerId: string;
  /** sum(lot.remaining) == sum(entry.credits): frozen and not-yet-expired-out credits included. */
  balance: number;
  /** What a draw can take now. */
  available: number;
  frozen: number;
  /** Past expiresAt but not yet written off by the expiry job. */
  expiredPending: number;
  drawOrder: string;
  lots: LotView[];
}

export async function getBalance(
  db: DbOrTx,
  customerId: string,
  options: { now?: Date; includeEmpty?: boolean } = {},
): Promise<BalanceView> {
  const now = options.now ?? new Date();
  const [customer, lots] = await Promise.all([
    db.customer.findUnique({ where: { id: customerId }, select: { id: true, balance: true } }),
    db.creditLot.findMany({ where: { customerId, ...(options.includeEmpty ? {} : { remaining: { gt: 0 } }) } }),
  ]);
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  lots.sort(compareDrawOrder);
  let position = 0;
  const views: LotView[] = lots.map((lot) => {
    const expired = lot.expiresAt !== null && lot.expiresAt <= now;
    return { ...lot, expired, drawPosition: isSpendable(lot, now) ? ++position : null };
  });
  const sum = (pick: (l: LotView) => boolean) => views.filter(pick).reduce((s, l) => s + l.remaining, 0);
  return {
    customerId,
    balance: customer.balance,
    available: sum((l) => l.drawPosition !== null),
    frozen: sum((l) => l.frozen),
    expiredPending: sum((l) => l.expired && !l.frozen),
    drawOrder: DRAW_ORDER_TEXT,
    lots: views,
  };
}
