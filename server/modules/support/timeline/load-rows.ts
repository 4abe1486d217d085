// Every source of the timeline in one statement: one CTE per source, each reading the newest
// `take` rows after the cursor through that table's (customer_id, time) index, plus the page's
// event deliveries and processing attempts. One round trip instead of sixteen keeps a page far
// under its 50 ms budget on a customer with 100,000 entries. Rows come back as jsonb (snake_case,
// timestamps without zone: UTC).
import type { DbOrTx } from '../../../db/tx.ts';
import type { TimelineKind } from '../../../contracts/support.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { unlinkedEventMatch } from '../find-unlinked-events.ts';
import { sqlAfter, sqlTime } from './bounds.ts';
import { boundFor, type TimelineCursor } from './cursor.ts';
import { RANK, TIMELINE_ENTRY_TYPES, USAGE_BUCKET_MS, type UsageBucket } from './ranks.ts';

export type Row = Record<string, unknown>;
export type Source =
  | 'customer'
  | 'event'
  | 'unlinked'
  | 'delivery'
  | 'attempt'
  | 'payment'
  | 'subscription'
  | 'refund'
  | 'dispute'
  | 'ledger'
  | 'entitlement'
  | 'ubucket'
  | 'uagg'
  | 'block'
  | 'audit'
  | 'note';

export interface LoadArgs {
  customerId: string;
  kinds: Set<TimelineKind>;
  cursor: TimelineCursor | null;
  take: number;
  bucket: UsageBucket;
}

const id = (col: string) => Prisma.raw(col);

export async function loadTimelineRows(db: DbOrTx, args: LoadArgs): Promise<Record<Source, Row[]>> {
  const c = Prisma.sql`${args.customerId}::uuid`;
  const take = args.take;
  const after = (rank: number, time: string, key: string, cast: string) =>
    sqlAfter(id(time), id(key), boundFor(args.cursor, rank), Prisma.raw(cast));
  const ctes: Prisma.Sql[] = [
    Prisma.sql`t_cust AS (SELECT id, external_id, email, stripe_customer_id FROM customer WHERE id = ${c})`,
  ];
  const outputs: Prisma.Sql[] = [Prisma.sql`SELECT 'customer' AS src, to_jsonb(t_cust) AS r FROM t_cust`];
  // CTEs are named t_<source>: a CTE named like a table would shadow it (and, under WITH
  // RECURSIVE, refer to itself).
  const add = (name: Source, cte: Prisma.Sql) => {
    const t = Prisma.raw(`t_${name}`);
    ctes.push(Prisma.sql`${t} AS (${cte})`);
    outputs.push(Prisma.sql`SELECT ${name}::text, to_jsonb(${t}) FROM ${t}`);
  };
  const k = args.kinds;

  if (k.has('event')) {
    const cols = Prisma.raw('e.id, e.type, e.created, e.status, e.attempts, e.last_error, e.object_id, e.payload');
    add(
      'event',
      Prisma.sql`SELECT ${cols} FROM stripe_event e WHERE e.customer_id = ${c} AND ${after(RANK.event, 'e.created', 'e.id', '::text')}
                 ORDER BY e.created DESC, e.id DESC LIMIT ${take}`,
    );
    const match = unlinkedEventMatch(Prisma.sql`e`, {
      externalId: Prisma.sql`(SELECT external_id FROM t_cust)`,
      email: Prisma.sql`(SELECT lower(trim(email)) FROM t_cust)`,
      stripeCustomerId: Prisma.sql`(SELECT stripe_customer_id FROM t_cust)`,
    });
    add(
      'unlinked',
      Prisma.sql`SELECT ${cols} FROM stripe_event e WHERE ${match} AND ${after(RANK.event, 'e.created', 'e.id', '::text')}
                 ORDER BY e.created DESC, e.id DESC LIMIT ${take}`,
    );
    add(
      'delivery',
      Prisma.sql`SELECT d.id::text AS id, d.event_id, d.received_at, d.duplicate, d.source, d.outcome, d.duration_ms
                 FROM webhook_delivery d WHERE d.event_id = ANY(ARRAY(SELECT id FROM t_event UNION ALL SELECT id FROM t_unlinked))`,
    );
    add(
      'attempt',
      Prisma.sql`SELECT a.id::text AS id, a.event_id, a.started_at, a.outcome, a.error, a.summary, a.actor_id
                 FROM event_processing_attempt a WHERE a.event_id = ANY(ARRAY(SELECT id FROM t_event UNION ALL SELECT id FROM t_unlinked))`,
    );
  }
  if (k.has('payment') || k.has('invoice')) {
    const only =
      k.has('payment') === k.has('invoice')
        ? Prisma.sql`TRUE`
        : k.has('invoice')
          ? Prisma.sql`p.invoice_id IS NOT NULL`
          : Prisma.sql`p.invoice_id IS NULL`;
    add(
      'payment',
      Prisma.sql`SELECT p.* FROM payment p WHERE p.customer_id = ${c} AND ${only} AND ${after(RANK.payment, 'p.created_at', 'p.id', '::uuid')}
                 ORDER BY p.created_at DESC, p.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('subscription')) {
    add(
      'subscription',
      Prisma.sql`SELECT s.* FROM subscription s WHERE s.customer_id = ${c} AND ${after(RANK.subscription, 's.created_at', 's.id', '::text')}
                 ORDER BY s.created_at DESC, s.id DESC LIMIT ${take}`,
    );
  }
  const paymentIds = Prisma.raw(
    'p.checkout_session_id AS p_cs, p.payment_intent_id AS p_pi, p.charge_id AS p_ch, p.invoice_id AS p_in',
  );
  if (k.has('refund')) {
    add(
      'refund',
      Prisma.sql`SELECT r.*, ${paymentIds} FROM refund r LEFT JOIN payment p ON p.id = r.payment_id
                 WHERE r.customer_id = ${c} AND ${after(RANK.refund, 'r.created_at', 'r.id', '::uuid')}
                 ORDER BY r.created_at DESC, r.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('dispute')) {
    add(
      'dispute',
      Prisma.sql`SELECT d.id, d.charge_id, d.amount, d.currency, d.reason, d.status, d.evidence_due_by, d.frozen_credits,
                        d.submitted_at, d.outcome, d.stripe_created, ${paymentIds}
                 FROM dispute d LEFT JOIN payment p ON p.id = d.payment_id
                 WHERE d.customer_id = ${c} AND ${after(RANK.dispute, 'd.stripe_created', 'd.id', '::text')}
                 ORDER BY d.stripe_created DESC, d.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('ledger')) {
    // One index descent per entry type on (customer_id, type, created_at, id): a customer's many
    // usage entries (shown grouped as usage) are never scanned to find the rest.
    add(
      'ledger',
      Prisma.sql`SELECT l.* FROM unnest(${TIMELINE_ENTRY_TYPES}::"LedgerEntryType"[]) AS t(type)
                 CROSS JOIN LATERAL (
                   SELECT e.id::text AS id, e.type, e.credits, e.lot_id, e.reference_type, e.reference, e.actor_type,
                          e.actor_id, e.reason, e.idempotency_key, e.balance_after, e.metadata, e.created_at, e.id AS seq
                   FROM ledger_entry e
                   WHERE e.customer_id = ${c} AND e.type = t.type AND ${after(RANK.ledger, 'e.created_at', 'e.id', '::bigint')}
                   ORDER BY e.created_at DESC, e.id DESC LIMIT ${take}) l
                 ORDER BY l.created_at DESC, l.seq DESC LIMIT ${take}`,
    );
  }
  if (k.has('entitlement')) {
    add(
      'entitlement',
      Prisma.sql`SELECT x.* FROM entitlement_event x WHERE x.customer_id = ${c} AND ${after(RANK.entitlement, 'x.created_at', 'x.id', '::uuid')}
                 ORDER BY x.created_at DESC, x.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('usage')) addUsage(args, c, add);
  if (k.has('block')) {
    add(
      'block',
      Prisma.sql`SELECT b.* FROM block_event b WHERE b.customer_id = ${c} AND ${after(RANK.block, 'b.created_at', 'b.id', '::uuid')}
                 ORDER BY b.created_at DESC, b.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('audit')) {
    add(
      'audit',
      Prisma.sql`SELECT a.id::text AS id, a.actor_id, a.actor_email, a.actor_role, a.action, a.target_type, a.target_id,
                        a.customer_id, a.before, a.after, a.reason, a.ip, a.created_at
                 FROM audit_log a WHERE a.customer_id = ${c} AND ${after(RANK.audit, 'a.created_at', 'a.id', '::bigint')}
                 ORDER BY a.created_at DESC, a.id DESC LIMIT ${take}`,
    );
  }
  if (k.has('note')) {
    add(
      'note',
      Prisma.sql`SELECT n.* FROM customer_note n WHERE n.customer_id = ${c} AND ${after(RANK.note, 'n.created_at', 'n.id', '::uuid')}
                 ORDER BY n.created_at DESC, n.id DESC LIMIT ${take}`,
    );
  }

  const rows = await db.$queryRaw<Array<{ src: Source; r: Row }>>`
    WITH RECURSIVE ${Prisma.join(ctes, ',\n')}
    ${Prisma.join(outputs, '\nUNION ALL\n')}`;
  const out = {} as Record<Source, Row[]>;
  for (const { src, r } of rows) (out[src] ??= []).push(r);
  return out;
}

/**
 * Usage groups: a loose index scan hops from bucket to bucket on (customer_id, created_at), so
 * finding the newest N buckets costs N index descents however many requests each holds; then
 * only those buckets are aggregated. A group sorts at the end of its bucket.
 */
function addUsage(args: LoadArgs, c: Prisma.Sql, add: (name: Source, cte: Prisma.Sql) => void) {
  const size = USAGE_BUCKET_MS[args.bucket];
  const bound = boundFor(args.cursor, RANK.usage);
  let upper: Date | null = null;
  if (bound.mode !== 'none') {
    const limit = bound.at.getTime() - size - (bound.mode === 'atOrBefore' ? 0 : 1);
    upper = new Date(Math.floor(limit / size) * size + size);
  }
  const below = upper ? Prisma.sql`AND created_at < ${sqlTime(upper)}` : Prisma.empty;
  const unit = args.bucket;
  add(
    'ubucket',
    Prisma.sql`WITH RECURSIVE b(s) AS (
        (SELECT date_trunc(${unit}, created_at) FROM usage WHERE customer_id = ${c} ${below}
         ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        SELECT (SELECT date_trunc(${unit}, u.created_at) FROM usage u
                WHERE u.customer_id = ${c} AND u.created_at < b.s ORDER BY u.created_at DESC LIMIT 1)
        FROM b WHERE b.s IS NOT NULL)
      SELECT s FROM b WHERE s IS NOT NULL LIMIT ${args.take}`,
  );
  // Each bucket aggregated on its own index range: the planner cannot size a range bounded by
  // another CTE, and would otherwise scan every usage row of the customer.
  add(
    'uagg',
    Prisma.sql`SELECT b.s AS bucket, g.feature, g.status, g.n, g.credits, g.last_at
               FROM t_ubucket b CROSS JOIN LATERAL (
                 SELECT feature, status::text AS status, count(*) AS n, sum(credits) AS credits, max(created_at) AS last_at
                 FROM usage
                 WHERE customer_id = ${c} AND created_at >= b.s AND created_at < b.s + ${`1 ${unit}`}::interval ${below}
                 GROUP BY feature, status) g`,
  );
}
