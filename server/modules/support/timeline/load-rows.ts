// Every source of the timeline in one statement, in two phases. Keys: each source reads the time
// and id of its newest `take` rows after the cursor through that table's (customer_id, time)
// index; the union is ordered (time, rank, then the source's own order) and cut to `take`.
// Details: only the rows on the page are read in full (event payloads, deliveries and processing
// attempts, usage aggregates). One round trip, and about a page of rows crosses the wire however
// many sources there are. Rows come back as jsonb (snake_case, timestamps without zone: UTC).
import type { DbOrTx } from '../../../db/tx.ts';
import type { TimelineKind } from '../../../contracts/support.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import { unlinkedEventMatch } from '../find-unlinked-events.ts';
import { sqlAfter, sqlTime } from './bounds.ts';
import { boundFor, type TimelineCursor } from './cursor.ts';
import { RANK, TIMELINE_ENTRY_TYPES, USAGE_BUCKET_MS, type UsageBucket } from './ranks.ts';

export type Row = Record<string, unknown>;
export type Source =
  | 'key'
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
  | 'usage'
  | 'block'
  | 'audit'
  | 'note'
  | 'outbound'
  | 'topup';

export interface LoadArgs {
  customerId: string;
  kinds: Set<TimelineKind>;
  cursor: TimelineCursor | null;
  take: number;
  bucket: UsageBucket;
}

interface KeySource {
  src: Source;
  rank: number;
  /** SELECT <time> AS t, <id> AS k ... ORDER BY <time> DESC, <id> DESC LIMIT take */
  keys: Prisma.Sql;
  /** Full rows whose id is in `ids` (a subquery of ids already cast to the column's type). */
  detail?: (ids: Prisma.Sql) => Prisma.Sql;
  idType?: string;
}

const raw = (sql: string) => Prisma.raw(sql);
const PAYMENT_IDS = raw(
  'p.checkout_session_id AS p_cs, p.payment_intent_id AS p_pi, p.charge_id AS p_ch, p.invoice_id AS p_in',
);
const EVENT_COLS = raw('e.id, e.type, e.created, e.status, e.attempts, e.last_error, e.object_id, e.payload');

export async function loadTimelineRows(db: DbOrTx, args: LoadArgs): Promise<Record<Source, Row[]>> {
  const c = Prisma.sql`${args.customerId}::uuid`;
  const take = args.take;
  const after = (rank: number, time: string, key: string, cast: string) =>
    sqlAfter(raw(time), raw(key), boundFor(args.cursor, rank), raw(cast));
  const k = args.kinds;
  const sources: KeySource[] = [];
  /** The common shape: the customer's rows of one table, newest first. */
  const simple = (src: Source, rank: number, table: string, time: string, idType: string, extra = Prisma.sql`TRUE`) =>
    sources.push({
      src,
      rank,
      idType,
      keys: Prisma.sql`SELECT x.${raw(time)} AS t, x.id AS k FROM ${raw(table)} x
                       WHERE x.customer_id = ${c} AND ${extra} AND ${after(rank, `x.${time}`, 'x.id', `::${idType}`)}
                       ORDER BY x.${raw(time)} DESC, x.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT x.* FROM ${raw(table)} x WHERE x.id IN (${ids})`,
    });

  if (k.has('event')) {
    sources.push({
      src: 'event',
      rank: RANK.event,
      idType: 'text',
      keys: Prisma.sql`SELECT e.created AS t, e.id AS k FROM stripe_event e
                       WHERE e.customer_id = ${c} AND ${after(RANK.event, 'e.created', 'e.id', '::text')}
                       ORDER BY e.created DESC, e.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT ${EVENT_COLS} FROM stripe_event e WHERE e.id IN (${ids})`,
    });
    const match = unlinkedEventMatch(Prisma.sql`e`, {
      externalId: Prisma.sql`(SELECT external_id FROM t_cust)`,
      email: Prisma.sql`(SELECT lower(trim(email)) FROM t_cust)`,
      stripeCustomerId: Prisma.sql`(SELECT stripe_customer_id FROM t_cust)`,
    });
    sources.push({
      src: 'unlinked',
      rank: RANK.event,
      idType: 'text',
      keys: Prisma.sql`SELECT e.created AS t, e.id AS k FROM stripe_event e
                       WHERE ${match} AND ${after(RANK.event, 'e.created', 'e.id', '::text')}
                       ORDER BY e.created DESC, e.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT ${EVENT_COLS} FROM stripe_event e WHERE e.id IN (${ids})`,
    });
  }
  if (k.has('payment') || k.has('invoice')) {
    const only =
      k.has('payment') === k.has('invoice')
        ? Prisma.sql`TRUE`
        : k.has('invoice')
          ? Prisma.sql`x.invoice_id IS NOT NULL`
          : Prisma.sql`x.invoice_id IS NULL`;
    simple('payment', RANK.payment, 'payment', 'created_at', 'uuid', only);
  }
  if (k.has('subscription')) simple('subscription', RANK.subscription, 'subscription', 'created_at', 'text');
  if (k.has('refund')) {
    sources.push({
      src: 'refund',
      rank: RANK.refund,
      idType: 'uuid',
      keys: Prisma.sql`SELECT r.created_at AS t, r.id AS k FROM refund r
                       WHERE r.customer_id = ${c} AND ${after(RANK.refund, 'r.created_at', 'r.id', '::uuid')}
                       ORDER BY r.created_at DESC, r.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT r.*, ${PAYMENT_IDS} FROM refund r LEFT JOIN payment p ON p.id = r.payment_id
                                  WHERE r.id IN (${ids})`,
    });
  }
  if (k.has('dispute')) {
    sources.push({
      src: 'dispute',
      rank: RANK.dispute,
      idType: 'text',
      keys: Prisma.sql`SELECT d.stripe_created AS t, d.id AS k FROM dispute d
                       WHERE d.customer_id = ${c} AND ${after(RANK.dispute, 'd.stripe_created', 'd.id', '::text')}
                       ORDER BY d.stripe_created DESC, d.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT d.id, d.charge_id, d.amount, d.currency, d.reason, d.status, d.evidence_due_by,
                                         d.frozen_credits, d.submitted_at, d.outcome, d.stripe_created, ${PAYMENT_IDS}
                                  FROM dispute d LEFT JOIN payment p ON p.id = d.payment_id WHERE d.id IN (${ids})`,
    });
  }
  if (k.has('ledger')) {
    // One index descent per entry type on (customer_id, type, created_at, id): a customer's many
    // usage entries (shown grouped as usage) are never scanned to find the rest.
    sources.push({
      src: 'ledger',
      rank: RANK.ledger,
      idType: 'bigint',
      keys: Prisma.sql`SELECT l.t, l.k FROM unnest(${TIMELINE_ENTRY_TYPES}::"LedgerEntryType"[]) AS et(type)
                       CROSS JOIN LATERAL (
                         SELECT e.created_at AS t, e.id AS k FROM ledger_entry e
                         WHERE e.customer_id = ${c} AND e.type = et.type
                           AND ${after(RANK.ledger, 'e.created_at', 'e.id', '::bigint')}
                         ORDER BY e.created_at DESC, e.id DESC LIMIT ${take}) l
                       ORDER BY l.t DESC, l.k DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT e.id::text AS id, e.type, e.credits, e.lot_id, e.reference_type, e.reference,
                                         e.actor_type, e.actor_id, e.reason, e.idempotency_key, e.balance_after, e.metadata,
                                         e.created_at
                                  FROM ledger_entry e WHERE e.id IN (${ids})`,
    });
  }
  if (k.has('entitlement')) simple('entitlement', RANK.entitlement, 'entitlement_event', 'created_at', 'uuid');
  if (k.has('usage')) sources.push(usageKeys(args, c));
  if (k.has('block')) simple('block', RANK.block, 'block_event', 'created_at', 'uuid');
  if (k.has('audit')) {
    sources.push({
      src: 'audit',
      rank: RANK.audit,
      idType: 'bigint',
      keys: Prisma.sql`SELECT a.created_at AS t, a.id AS k FROM audit_log a
                       WHERE a.customer_id = ${c} AND ${after(RANK.audit, 'a.created_at', 'a.id', '::bigint')}
                       ORDER BY a.created_at DESC, a.id DESC LIMIT ${take}`,
      detail: (ids) => Prisma.sql`SELECT a.id::text AS id, a.actor_id, a.actor_email, a.actor_role, a.action,
                                         a.target_type, a.target_id, a.customer_id, a.before, a.after, a.reason, a.ip,
                                         a.created_at
                                  FROM audit_log a WHERE a.id IN (${ids})`,
    });
  }
  if (k.has('note')) simple('note', RANK.note, 'customer_note', 'created_at', 'uuid');
  if (k.has('outbound')) {
    sources.push({
      src: 'outbound',
      rank: RANK.outbound,
      idType: 'text',
      keys: Prisma.sql`SELECT o.created_at AS t, o.id AS k FROM outbound_event o
                       WHERE o.customer_id = ${c} AND ${after(RANK.outbound, 'o.created_at', 'o.id', '::text')}
                       ORDER BY o.created_at DESC, o.id DESC LIMIT ${take}`,
      // With how its deliveries went, so support can say whether the product was told.
      detail: (ids) => Prisma.sql`SELECT o.*,
          (SELECT count(*) FROM outbound_delivery d WHERE d.event_id = o.id AND d.status = 'succeeded')::int AS delivered,
          (SELECT count(*) FROM outbound_delivery d WHERE d.event_id = o.id AND d.status IN ('retrying', 'failed'))::int AS failing,
          (SELECT count(*) FROM outbound_delivery d WHERE d.event_id = o.id)::int AS deliveries
        FROM outbound_event o WHERE o.id IN (${ids})`,
    });
  }
  if (k.has('topup')) simple('topup', RANK.topup, 'auto_topup', 'created_at', 'uuid');

  // CTEs are prefixed (k_, t_): a CTE named like a table would shadow it (and, under WITH
  // RECURSIVE, refer to itself).
  const ctes: Prisma.Sql[] = [
    Prisma.sql`t_cust AS (SELECT id, external_id, email, stripe_customer_id FROM customer WHERE id = ${c})`,
  ];
  // Ids compare as text in one union: bigint ids are zero-padded so text order is number order
  // (uuid and Stripe ids already sort as text), which keeps each source's own (time, id) order.
  const sortable = (s: KeySource) =>
    s.idType === 'bigint' ? Prisma.sql`lpad(x.k::text, 20, '0')` : Prisma.sql`x.k::text`;
  const union = sources.length
    ? Prisma.join(
        sources.map(
          (s) =>
            Prisma.sql`SELECT ${s.src}::text AS src, ${s.rank}::int AS rank, x.t, x.k::text AS id, ${sortable(s)} AS o
                       FROM (${s.keys}) x`,
        ),
        ' UNION ALL ',
      )
    : Prisma.sql`SELECT NULL::text AS src, 0 AS rank, NULL::timestamptz AS t, NULL::text AS id, NULL::text AS o WHERE FALSE`;
  ctes.push(Prisma.sql`t_keys AS (SELECT * FROM (${union}) u ORDER BY u.t DESC, u.rank DESC, u.o DESC LIMIT ${take})`);
  const outputs: Prisma.Sql[] = [
    Prisma.sql`SELECT 'customer' AS src, to_jsonb(t_cust) AS r FROM t_cust`,
    Prisma.sql`SELECT 'key', to_jsonb(t_keys) FROM t_keys`,
  ];
  const add = (name: Source, sql: Prisma.Sql) => {
    const t = raw(`t_${name}`);
    ctes.push(Prisma.sql`${t} AS (${sql})`);
    outputs.push(Prisma.sql`SELECT ${name}::text, to_jsonb(${t}) FROM ${t}`);
  };
  for (const s of sources) {
    if (!s.detail) continue;
    add(s.src, s.detail(Prisma.sql`SELECT id::${raw(s.idType ?? 'text')} FROM t_keys WHERE src = ${s.src}`));
  }
  if (k.has('event')) {
    const eventIds = Prisma.sql`ARRAY(SELECT id FROM t_keys WHERE src IN ('event', 'unlinked'))`;
    add(
      'delivery',
      Prisma.sql`SELECT d.id::text AS id, d.event_id, d.received_at, d.duplicate, d.source, d.outcome, d.duration_ms
                 FROM webhook_delivery d WHERE d.event_id = ANY(${eventIds})`,
    );
    add(
      'attempt',
      Prisma.sql`SELECT a.id::text AS id, a.event_id, a.started_at, a.outcome, a.error, a.summary, a.actor_id
                 FROM event_processing_attempt a WHERE a.event_id = ANY(${eventIds})`,
    );
  }
  if (k.has('usage')) {
    // Each bucket on the page aggregated on its own index range (the planner cannot size a range
    // bounded by another CTE, and would otherwise scan every usage row of the customer).
    const unit = `1 ${args.bucket}`;
    add(
      'usage',
      Prisma.sql`SELECT b.s AS bucket, g.feature, g.status, g.n, g.credits, g.last_at
                 FROM (SELECT id::timestamptz AS s FROM t_keys WHERE src = 'usage') b
                 CROSS JOIN LATERAL (
                   SELECT feature, status::text AS status, count(*) AS n, sum(credits) AS credits, max(created_at) AS last_at
                   FROM usage
                   WHERE customer_id = ${c} AND created_at >= b.s AND created_at < b.s + ${unit}::interval
                   GROUP BY feature, status) g`,
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
 * finding the newest N buckets costs N index descents however many requests each holds. A group
 * sorts at the end of its bucket; its id is the bucket's start (ISO, UTC).
 */
function usageKeys(args: LoadArgs, c: Prisma.Sql): KeySource {
  const size = USAGE_BUCKET_MS[args.bucket];
  const bound = boundFor(args.cursor, RANK.usage);
  let upper: Date | null = null;
  if (bound.mode !== 'none') {
    const limit = bound.at.getTime() - size - (bound.mode === 'atOrBefore' ? 0 : 1);
    upper = new Date(Math.floor(limit / size) * size + size);
  }
  const below = upper ? Prisma.sql`AND created_at < ${sqlTime(upper)}` : Prisma.empty;
  const unit = args.bucket;
  return {
    src: 'usage',
    rank: RANK.usage,
    // Buckets are UTC hours or days (as the cursor arithmetic above): truncated and named in UTC
    // whatever the session's TimeZone.
    keys: Prisma.sql`WITH RECURSIVE b(s) AS (
        (SELECT date_trunc(${unit}, created_at, 'UTC') FROM usage WHERE customer_id = ${c} ${below}
         ORDER BY created_at DESC LIMIT 1)
        UNION ALL
        SELECT (SELECT date_trunc(${unit}, u.created_at, 'UTC') FROM usage u
                WHERE u.customer_id = ${c} AND u.created_at < b.s ORDER BY u.created_at DESC LIMIT 1)
        FROM b WHERE b.s IS NOT NULL)
      SELECT b.s + ${`1 ${unit}`}::interval AS t, to_char(b.s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS k
      FROM b WHERE b.s IS NOT NULL LIMIT ${args.take}`,
  };
}
