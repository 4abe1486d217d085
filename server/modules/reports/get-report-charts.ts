// The Reports page's charts for a date range, per UTC month: revenue split subscriptions vs credit
// packs (by currency: nothing is converted), refunds, disputes (count, rate against the month's
// paid payments, win rate of the decided ones) and credits issued vs consumed vs expired.
import type { DbOrTx } from '../../db/tx.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { ExportRange } from './export-kinds.ts';
import { assertRange } from './stream-export.ts';

export interface RevenuePoint {
  month: string;
  currency: string;
  subscriptions: number;
  packs: number;
  payments: number;
}
export interface RefundPoint {
  month: string;
  currency: string;
  amount: number;
  count: number;
}
export interface DisputePoint {
  month: string;
  opened: number;
  won: number;
  lost: number;
  payments: number;
  /** Disputes opened per paid payment that month, 0..1. */
  rate: number;
}
export interface CreditPoint {
  month: string;
  issued: number;
  consumed: number;
  expired: number;
}

export interface ReportCharts {
  range: ExportRange;
  months: string[];
  currencies: string[];
  revenue: RevenuePoint[];
  refunds: RefundPoint[];
  disputes: DisputePoint[];
  disputeTotals: { opened: number; won: number; lost: number; payments: number; rate: number; winRate: number | null };
  credits: CreditPoint[];
}

/** YYYY-MM for every month the range touches. */
function monthsOf(range: ExportRange): string[] {
  const months: string[] = [];
  let [y, m] = range.from.split('-').map(Number) as [number, number];
  const [ty, tm] = range.to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return months;
}

const n = (v: unknown) => Number(v ?? 0);

export async function getReportCharts(db: DbOrTx, range: ExportRange): Promise<ReportCharts> {
  assertRange(range);
  const { from, to } = range;
  // Report months and days are UTC calendar ones (as monthsOf): the range's ends are UTC midnights
  // and rows bucket by their UTC month, whatever the session's TimeZone.
  const start = Prisma.sql`(${from}::date::timestamp AT TIME ZONE 'UTC')`;
  const end = Prisma.sql`((${to}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  const [revenue, refunds, disputes, payments, credits] = await Promise.all([
    db.$queryRaw<Array<{ month: string; currency: string; subscriptions: bigint; packs: bigint; payments: bigint }>>`
      SELECT to_char(COALESCE(paid_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS month, currency,
             COALESCE(sum(amount) FILTER (WHERE kind = 'subscription'), 0)::bigint AS subscriptions,
             COALESCE(sum(amount) FILTER (WHERE kind <> 'subscription'), 0)::bigint AS packs,
             count(*)::bigint AS payments
        FROM payment
       WHERE status IN ('paid', 'partially_refunded', 'refunded')
         AND COALESCE(paid_at, created_at) >= ${start}
         AND COALESCE(paid_at, created_at) < ${end}
       GROUP BY 1, 2 ORDER BY 1, 2`,
    db.$queryRaw<Array<{ month: string; currency: string; amount: bigint; count: bigint }>>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, currency, sum(amount)::bigint AS amount, count(*)::bigint AS count
        FROM refund
       WHERE status IN ('pending', 'succeeded')
         AND created_at >= ${start} AND created_at < ${end}
       GROUP BY 1, 2 ORDER BY 1, 2`,
    db.$queryRaw<Array<{ month: string; opened: bigint; won: bigint; lost: bigint }>>`
      SELECT to_char(stripe_created AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::bigint AS opened,
             count(*) FILTER (WHERE status = 'won')::bigint AS won,
             count(*) FILTER (WHERE status = 'lost')::bigint AS lost
        FROM dispute
       WHERE stripe_created >= ${start} AND stripe_created < ${end}
       GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<Array<{ month: string; payments: bigint }>>`
      SELECT to_char(COALESCE(paid_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::bigint AS payments
        FROM payment
       WHERE status IN ('paid', 'partially_refunded', 'refunded')
         AND COALESCE(paid_at, created_at) >= ${start}
         AND COALESCE(paid_at, created_at) < ${end}
       GROUP BY 1`,
    db.$queryRaw<Array<{ month: string; issued: bigint; consumed: bigint; expired: bigint }>>`
      SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
             COALESCE(sum(credits) FILTER (WHERE type IN ('grant', 'purchase', 'subscription_grant')
                                          OR (type = 'manual_adjustment' AND credits > 0)), 0)::bigint AS issued,
             COALESCE(-sum(credits) FILTER (WHERE type IN ('usage', 'reversal')
                                           OR (type = 'manual_adjustment' AND credits < 0)), 0)::bigint AS consumed,
             COALESCE(-sum(credits) FILTER (WHERE type = 'expiration'), 0)::bigint AS expired
        FROM ledger_entry
       WHERE created_at >= ${start} AND created_at < ${end}
       GROUP BY 1 ORDER BY 1`,
  ]);

  const months = monthsOf(range);
  const paymentsByMonth = new Map(payments.map((p) => [p.month, n(p.payments)]));
  const disputeByMonth = new Map(disputes.map((d) => [d.month, d]));
  const creditByMonth = new Map(credits.map((c) => [c.month, c]));
  const disputePoints = months.map((month) => {
    const d = disputeByMonth.get(month);
    const paid = paymentsByMonth.get(month) ?? 0;
    const opened = n(d?.opened);
    return { month, opened, won: n(d?.won), lost: n(d?.lost), payments: paid, rate: paid ? opened / paid : 0 };
  });
  const totals = disputePoints.reduce(
    (t, d) => ({
      opened: t.opened + d.opened,
      won: t.won + d.won,
      lost: t.lost + d.lost,
      payments: t.payments + d.payments,
    }),
    { opened: 0, won: 0, lost: 0, payments: 0 },
  );
  const currencies = [...new Set([...revenue.map((r) => r.currency), ...refunds.map((r) => r.currency)])].sort();

  return {
    range,
    months,
    currencies,
    revenue: revenue.map((r) => ({
      month: r.month,
      currency: r.currency,
      subscriptions: n(r.subscriptions),
      packs: n(r.packs),
      payments: n(r.payments),
    })),
    refunds: refunds.map((r) => ({ month: r.month, currency: r.currency, amount: n(r.amount), count: n(r.count) })),
    disputes: disputePoints,
    disputeTotals: {
      ...totals,
      rate: totals.payments ? totals.opened / totals.payments : 0,
      winRate: totals.won + totals.lost ? totals.won / (totals.won + totals.lost) : null,
    },
    credits: months.map((month) => {
      const c = creditByMonth.get(month);
      return { month, issued: n(c?.issued), consumed: n(c?.consumed), expired: n(c?.expired) };
    }),
  };
}
