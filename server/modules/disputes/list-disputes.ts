// The Disputes list: overdue first, then those still needing a response by deadline, then those
// with the bank, then closed ones newest first. Paged on the server; the filter and page live in
// the URL. The order is computed in SQL so paging stays stable.
import type { DisputeListFilter, ListDisputesInput } from '../../contracts/disputes.ts';
import { listDisputesInput } from '../../contracts/disputes.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { disputeDue } from './dispute-state.ts';
import { likeLiteral } from '../../lib/like-pattern.ts';

const NEEDS = Prisma.sql`d.status IN ('needs_response', 'warning_needs_response', 'appeal_needs_response') AND d.submitted_at IS NULL`;
const CLOSED = Prisma.sql`d.status IN ('won', 'lost', 'warning_closed', 'prevented')`;

function filterSql(filter: DisputeListFilter, now: Date): Prisma.Sql {
  switch (filter) {
    case 'open':
      return Prisma.sql`NOT (${CLOSED})`;
    case 'needs_response':
      return NEEDS;
    case 'overdue':
      return Prisma.sql`${NEEDS} AND d.evidence_due_by > to_timestamp(0) AND d.evidence_due_by <= ${now}`;
    case 'under_review':
      return Prisma.sql`NOT (${CLOSED}) AND NOT (${NEEDS})`;
    case 'closed':
      return CLOSED;
    case 'all':
      return Prisma.sql`TRUE`;
  }
}

export async function listDisputes(db: DbOrTx, raw: ListDisputesInput, options: { now?: Date } = {}) {
  const input = listDisputesInput.parse(raw);
  const now = options.now ?? new Date();
  const q = input.q.trim();
  const search = q
    ? Prisma.sql`AND (d.id = ${q} OR d.charge_id = ${q} OR c.external_id = ${q} OR lower(c.email) LIKE ${`${likeLiteral(q.toLowerCase())}%`})`
    : Prisma.empty;
  const where = Prisma.sql`WHERE ${filterSql(input.filter, now)} ${search}`;
  const offset = (input.page - 1) * input.limit;

  const [ids, [count]] = await Promise.all([
    db.$queryRaw<Array<{ id: string }>>`
      SELECT d.id FROM dispute d LEFT JOIN customer c ON c.id = d.customer_id
      ${where}
      ORDER BY
        CASE
          WHEN ${NEEDS} AND d.evidence_due_by > to_timestamp(0) AND d.evidence_due_by <= ${now} THEN 0
          WHEN ${NEEDS} THEN 1
          WHEN NOT (${CLOSED}) THEN 2
          ELSE 3
        END,
        CASE WHEN ${NEEDS} THEN d.evidence_due_by END ASC NULLS LAST,
        d.stripe_created DESC, d.id
      LIMIT ${input.limit} OFFSET ${offset}`,
    db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM dispute d LEFT JOIN customer c ON c.id = d.customer_id ${where}`,
  ]);
  const rows = await db.dispute.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: { customer: { select: { id: true, email: true, name: true, externalId: true, status: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids
    .map((r) => byId.get(r.id))
    .filter((d) => d !== undefined)
    .map(({ evidence: _evidence, ...d }) => ({ ...d, due: disputeDue(d, now) }));
  return { items, total: Number(count?.n ?? 0), page: input.page, limit: input.limit, now };
}
