// The Disputes list: overdue first, then those still needing a response by deadline, then those
// with the bank, then closed ones newest first. The order is computed in SQL as a sort key
// (group, due date, -created, id) and paged by that key (a keyset cursor, not an offset), so a
// dispute that arrives while someone pages does not shift the pages after it. The filter and the
// cursor live in the URL.
import type { DisputeListFilter, ListDisputesInput } from '../../contracts/disputes.ts';
import { listDisputesInput } from '../../contracts/disputes.ts';
import type { DbOrTx } from '../../db/tx.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import { disputeDue } from './dispute-state.ts';
import { AppError } from '../../lib/app-error.ts';
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

/** Past every due date: disputes without one sort after those with one, in their group. */
const NO_DUE = 1e13;

/** The sort key of the last row shown: group, due (epoch s), -created (epoch s), id. */
type SortKey = [number, number, number, string];

function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): SortKey | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 4 &&
      key.slice(0, 3).every((n) => typeof n === 'number' && Number.isFinite(n)) &&
      typeof key[3] === 'string'
    ) {
      return key as SortKey;
    }
  } catch {
    // falls through to the error below
  }
  throw new AppError('VALIDATION', 'This list link is out of date (bad page cursor); open the list again.');
}

export async function listDisputes(db: DbOrTx, raw: ListDisputesInput, options: { now?: Date } = {}) {
  const input = listDisputesInput.parse(raw);
  const now = options.now ?? new Date();
  const q = input.q.trim();
  const search = q
    ? Prisma.sql`AND (d.id = ${q} OR d.charge_id = ${q} OR c.external_id = ${q} OR lower(c.email) LIKE ${`${likeLiteral(q.toLowerCase())}%`})`
    : Prisma.empty;
  const where = Prisma.sql`WHERE ${filterSql(input.filter, now)} ${search}`;
  const after = decodeCursor(input.cursor);
  const seek = after
    ? Prisma.sql`WHERE (k.grp, k.due, k.created, k.id) > (${after[0]}::int, ${after[1]}::float8, ${after[2]}::float8, ${after[3]})`
    : Prisma.empty;

  const [keys, [count]] = await Promise.all([
    db.$queryRaw<Array<{ id: string; grp: number; due: number; created: number }>>`
      SELECT k.id, k.grp, k.due, k.created FROM (
        SELECT d.id,
          CASE
            WHEN ${NEEDS} AND d.evidence_due_by > to_timestamp(0) AND d.evidence_due_by <= ${now} THEN 0
            WHEN ${NEEDS} THEN 1
            WHEN NOT (${CLOSED}) THEN 2
            ELSE 3
          END AS grp,
          COALESCE(CASE WHEN ${NEEDS} THEN extract(epoch FROM d.evidence_due_by)::float8 END, ${NO_DUE}::float8) AS due,
          -extract(epoch FROM d.stripe_created)::float8 AS created
        FROM dispute d LEFT JOIN customer c ON c.id = d.customer_id
        ${where}
      ) k
      ${seek}
      ORDER BY k.grp, k.due, k.created, k.id
      LIMIT ${input.limit + 1}`,
    db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM dispute d LEFT JOIN customer c ON c.id = d.customer_id ${where}`,
  ]);
  const ids = keys.slice(0, input.limit);
  const last = ids.at(-1);
  const nextCursor =
    keys.length > input.limit && last ? encodeCursor([last.grp, last.due, last.created, last.id]) : null;
  const rows = await db.dispute.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: { customer: { select: { id: true, email: true, name: true, externalId: true, status: true } } },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = ids
    .map((r) => byId.get(r.id))
    .filter((d) => d !== undefined)
    .map(({ evidence: _evidence, ...d }) => ({ ...d, due: disputeDue(d, now) }));
  return { items, total: Number(count?.n ?? 0), nextCursor, now };
}
