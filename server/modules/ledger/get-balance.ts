// A customer's balance as a support agent needs to explain it: the projection, what can be spent
// right now, what is frozen or past its expiry, and the lots in the order draws will use them.
import { hotQuery } from '../../db/client.ts';
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
  const [customer, lots] = await Promise.all([
    db.customer.findUnique({ where: { id: customerId }, select: { id: true, balance: true } }),
    db.creditLot.findMany({ where: { customerId, ...(options.includeEmpty ? {} : { remaining: { gt: 0 } }) } }),
  ]);
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  return balanceView(customer, lots, options.now ?? new Date());
}

const BY_EXTERNAL_ID_SQL = `
  SELECT jsonb_build_object('id', c.id, 'balance', c.balance, 'lots', (
    SELECT COALESCE(jsonb_agg(jsonb_build_object(
             'id', l.id, 'customerId', l.customer_id, 'source', l.source, 'granted', l.granted,
             'remaining', l.remaining, 'expiresAt', l.expires_at, 'costBasis', l.cost_basis,
             'amountPaid', l.amount_paid, 'currency', l.currency, 'stripeReference', l.stripe_reference,
             'frozen', l.frozen, 'createdAt', l.created_at)), '[]'::jsonb)
      FROM credit_lot l WHERE l.customer_id = c.id AND l.remaining > 0)) AS r
    FROM customer c WHERE c.external_id = $1`;

/** The service API's balance, by the product's user id: one statement. */
export async function getBalanceByExternalId(db: DbOrTx, externalId: string, now = new Date()): Promise<BalanceView> {
  const rows = await hotQuery<{ r: { id: string; balance: number; lots: CreditLot[] } }>(
    db,
    'balance_by_external_id',
    BY_EXTERNAL_ID_SQL,
    [externalId],
  );
  const found = rows[0]?.r;
  if (!found) throw new AppError('NOT_FOUND', `No customer with externalId "${externalId}"`);
  // jsonb renders timestamps as ISO 8601 text with their offset.
  const at = (v: unknown) => (v == null ? null : new Date(String(v)));
  const lots = found.lots.map((l) => ({ ...l, expiresAt: at(l.expiresAt), createdAt: at(l.createdAt)! }));
  return balanceView(found, lots, now);
}

function balanceView(customer: { id: string; balance: number }, lots: CreditLot[], now: Date): BalanceView {
  lots.sort(compareDrawOrder);
  let position = 0;
  const views: LotView[] = lots.map((lot) => {
    const expired = lot.expiresAt !== null && lot.expiresAt <= now;
    return { ...lot, expired, drawPosition: isSpendable(lot, now) ? ++position : null };
  });
  const sum = (pick: (l: LotView) => boolean) => views.filter(pick).reduce((s, l) => s + l.remaining, 0);
  return {
    customerId: customer.id,
    balance: customer.balance,
    available: sum((l) => l.drawPosition !== null),
    frozen: sum((l) => l.frozen),
    expiredPending: sum((l) => l.expired && !l.frozen),
    drawOrder: DRAW_ORDER_TEXT,
    lots: views,
  };
}
