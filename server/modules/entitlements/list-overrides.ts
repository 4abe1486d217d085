// A customer's overrides and temporary grants, newest first, with whether each still applies.
import type { DbOrTx } from '../../db/tx.ts';

export async function listOverrides(db: DbOrTx, customerId: string, now: Date = new Date()) {
  const rows = await db.customerOverride.findMany({ where: { customerId }, orderBy: { createdAt: 'desc' } });
  return rows.map((o) => ({ ...o, active: !o.revokedAt && (!o.expiresAt || o.expiresAt > now) }));
}
