// Dispute counts by state, money at stake, and the win rate (won / decided), for the Disputes page
// header and the Reports page. Optionally only disputes opened in the last N days.
import type { DbOrTx } from '../../db/tx.ts';
import { Prisma } from '../../generated/prisma/client.ts';

const DAY_MS = 86_400_000;

export async function getDisputeStats(
  db: DbOrTx,
  input: { days?: number | undefined } = {},
  options: { now?: Date } = {},
) {
  const now = options.now ?? new Date();
  const since = input.days ? new Date(now.getTime() - input.days * DAY_MS) : null;
  const window = since ? Prisma.sql`AND d.stripe_created >= ${since}` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ bucket: string; currency: string; n: bigint; amount: bigint }>>`
    SELECT CASE
             WHEN d.status IN ('won', 'lost') THEN d.status
             WHEN d.status IN ('warning_closed', 'prevented') THEN 'closed'
             WHEN d.status IN ('needs_response', 'warning_needs_response', 'appeal_needs_response') AND d.submitted_at IS NULL
               THEN CASE WHEN d.evidence_due_by > to_timestamp(0) AND d.evidence_due_by <= ${now} THEN 'overdue' ELSE 'needs_response' END
             ELSE 'under_review'
           END AS bucket,
           d.currency, count(*) AS n, sum(d.amount) AS amount
    FROM dispute d WHERE TRUE ${window}
    GROUP BY 1, 2`;
  const counts = { needs_response: 0, overdue: 0, under_review: 0, won: 0, lost: 0, closed: 0 };
  const amounts: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const bucket = r.bucket as keyof typeof counts;
    counts[bucket] += Number(r.n);
    (amounts[bucket] ??= {})[r.currency] = Number(r.amount);
  }
  const decided = counts.won + counts.lost;
  return {
    since,
    counts,
    /** Minor units per currency, per state. */
    amounts,
    decided,
    /** Whole percent of decided disputes won; null before any is decided. */
    winRatePercent: decided ? Math.round((counts.won * 100) / decided) : null,
  };
}
