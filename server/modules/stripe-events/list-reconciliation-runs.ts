// The latest reconciliation runs, each with the customers its findings are about (by our id or by
// the Stripe customer a paid object names), so a finding reads "grace@example.com", not "customer".
import type { Db } from '../../db/client.ts';
import type { DriftFindings } from './check-drift.ts';

export interface RunCustomer {
  id: string;
  externalId: string;
  email: string;
  name: string | null;
  stripeCustomerId: string | null;
}

function idsIn(findings: unknown) {
  const drift = (findings as { drift?: Partial<DriftFindings> } | null)?.drift ?? {};
  const ids = [...(drift.grantsWithoutPayment ?? []), ...(drift.grantsOnRefundedPayments ?? [])].map(
    (g) => g.customerId,
  );
  const stripeIds = (drift.paidWithoutGrant ?? []).map((p) => p.stripeCustomer).filter((s): s is string => !!s);
  return { ids, stripeIds };
}

export async function listReconciliationRuns(db: Db, input: { limit?: number } = {}) {
  const runs = await db.reconciliationRun.findMany({ orderBy: { startedAt: 'desc' }, take: input.limit ?? 10 });
  const wanted = runs.map((r) => idsIn(r.findings));
  const ids = [...new Set(wanted.flatMap((w) => w.ids))];
  const stripeIds = [...new Set(wanted.flatMap((w) => w.stripeIds))];
  const customers: RunCustomer[] =
    ids.length || stripeIds.length
      ? await db.customer.findMany({
          where: { OR: [{ id: { in: ids } }, { stripeCustomerId: { in: stripeIds } }] },
          select: { id: true, externalId: true, email: true, name: true, stripeCustomerId: true },
        })
      : [];
  return runs.map((run, i) => {
    const w = wanted[i]!;
    return {
      ...run,
      customers: customers.filter(
        (c) => w.ids.includes(c.id) || (c.stripeCustomerId !== null && w.stripeIds.includes(c.stripeCustomerId)),
      ),
    };
  });
}
