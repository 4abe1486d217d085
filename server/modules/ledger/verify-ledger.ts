// The ledger's invariants, checked from the rows themselves. Tests run it after every sequence;
// reconciliation can run it for a customer a support agent is looking at.
//   customer.balance == sum(entry.credits) == sum(lot.remaining)
//   lot.remaining == lot.granted + sum(allocations on the lot), 0 <= remaining <= granted
//   an entry with allocations moves exactly their sum; a grant's credits are its lot's granted
import type { DbOrTx } from '../../db/tx.ts';

export interface LedgerProblem {
  customerId: string;
  problem: string;
}

export async function verifyLedger(db: DbOrTx, customerId?: string): Promise<LedgerProblem[]> {
  const rows = await db.$queryRaw<Array<{ customer_id: string; problem: string }>>`
    WITH c AS (SELECT id, balance FROM customer WHERE ${customerId ?? null}::uuid IS NULL OR id = ${customerId ?? null}::uuid)
    SELECT c.id::text AS customer_id,
           format('balance %s, entries sum to %s, lots hold %s', c.balance, e.total, l.total) AS problem
      FROM c
      CROSS JOIN LATERAL (SELECT COALESCE(sum(credits), 0) AS total FROM ledger_entry WHERE customer_id = c.id) e
      CROSS JOIN LATERAL (SELECT COALESCE(sum(remaining), 0) AS total FROM credit_lot WHERE customer_id = c.id) l
     WHERE c.balance <> e.total OR c.balance <> l.total
    UNION ALL
    SELECT lot.customer_id::text, format('lot %s: remaining %s, granted %s, allocations %s', lot.id, lot.remaining, lot.granted, COALESCE(a.total, 0))
      FROM credit_lot lot
      JOIN c ON c.id = lot.customer_id
      LEFT JOIN (SELECT lot_id, sum(credits) AS total FROM ledger_allocation GROUP BY lot_id) a ON a.lot_id = lot.id
     WHERE lot.remaining <> lot.granted + COALESCE(a.total, 0) OR lot.remaining < 0 OR lot.remaining > lot.granted
    UNION ALL
    SELECT e.customer_id::text, format('entry %s (%s): %s credits, allocations %s', e.id, e.type, e.credits, a.total)
      FROM ledger_entry e
      JOIN c ON c.id = e.customer_id
      JOIN (SELECT entry_id, sum(credits) AS total FROM ledger_allocation GROUP BY entry_id) a ON a.entry_id = e.id
     WHERE e.credits <> a.total
    UNION ALL
    SELECT e.customer_id::text, format('grant entry %s: %s credits, lot granted %s', e.id, e.credits, lot.granted)
      FROM ledger_entry e
      JOIN c ON c.id = e.customer_id
      JOIN credit_lot lot ON lot.id = e.lot_id
     WHERE e.credits > 0 AND e.credits <> lot.granted
       AND NOT EXISTS (SELECT 1 FROM ledger_allocation x WHERE x.entry_id = e.id)`;
  return rows.map((r) => ({ customerId: r.customer_id, problem: r.problem }));
}
