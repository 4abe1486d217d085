// The CSV exports: one keyset-paginated query per kind. Every batch starts where the last row of the
// previous one ended ((time, id) for dated rows, the customer id for liability), through an index,
// so each batch costs the same however deep the export is and no transaction or cursor stays open
// between batches (the embedded database serialises open transactions). The first two columns of
// every batch query are the keyset cursor and are not written to the CSV. Times are UTC, ISO 8601;
// money is integer minor units beside its currency; credits are integers.

export const EXPORT_KINDS = ['payments', 'refunds', 'ledger', 'disputes', 'liability'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportRange {
  /** Inclusive, UTC, YYYY-MM-DD. */
  from: string;
  /** Inclusive, UTC, YYYY-MM-DD. */
  to: string;
}

export interface Cursor {
  at: string | null;
  id: string;
}

export interface KindQuery {
  columns: readonly string[];
  batch(range: ExportRange, after: Cursor | null, limit: number): { sql: string; params: unknown[] };
  count(range: ExportRange): { sql: string; params: unknown[] };
}

const iso = (col: string) => `to_char(${col}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Rows with `timeCol` in [from, to + 1 day), after the cursor, oldest first. */
function dated(
  table: string,
  alias: string,
  timeCol: string,
  idCast: string,
  columns: Array<[string, string]>,
  joins = '',
): KindQuery {
  const t = `${alias}.${timeCol}`;
  const id = `${alias}.id`;
  const range = `${t} < ($2::date + 1)::timestamp`;
  return {
    columns: columns.map(([name]) => name),
    batch(r, after, limit) {
      return {
        sql: `SELECT ${t}::text AS k0, ${id}::text AS k1, ${columns.map(([, expr], i) => `${expr} AS c${i}`).join(', ')}
                FROM ${table} ${alias} ${joins}
               WHERE ${t} >= GREATEST($1::date::timestamp, COALESCE($3::timestamp, $1::date::timestamp))
                 AND ${range}
                 AND ($3::timestamp IS NULL OR ${t} > $3::timestamp OR ${id} > $4::${idCast})
               ORDER BY ${t}, ${id}
               LIMIT $5::int`,
        params: [r.from, r.to, after?.at ?? null, after?.id ?? null, limit],
      };
    },
    count(r) {
      return {
        sql: `SELECT count(*)::text FROM ${table} ${alias} WHERE ${t} >= $1::date::timestamp AND ${range}`,
        params: [r.from, r.to],
      };
    },
  };
}

const customerJoin = (alias: string) => `LEFT JOIN customer c ON c.id = ${alias}.customer_id`;

export const KIND_QUERIES: Record<Exclude<ExportKind, 'liability'>, KindQuery> = {
  payments: dated(
    'payment',
    'p',
    'created_at',
    'uuid',
    [
      ['created_at', iso('p.created_at')],
      ['paid_at', iso('p.paid_at')],
      ['payment_id', 'p.id::text'],
      ['customer_id', 'p.customer_id::text'],
      ['customer_external_id', 'c.external_id'],
      ['customer_email', 'c.email'],
      ['kind', 'p.kind'],
      ['catalog_key', 'p.catalog_key'],
      ['status', 'p.status::text'],
      ['currency', 'p.currency'],
      ['amount_minor', 'p.amount::text'],
      ['amount_refunded_minor', 'p.amount_refunded::text'],
      ['credits_granted', 'p.credits_granted::text'],
      ['checkout_session_id', 'p.checkout_session_id'],
      ['invoice_id', 'p.invoice_id'],
      ['subscription_id', 'p.subscription_id'],
      ['payment_intent_id', 'p.payment_intent_id'],
      ['charge_id', 'p.charge_id'],
    ],
    customerJoin('p'),
  ),
  refunds: dated(
    'refund',
    'r',
    'created_at',
    'uuid',
    [
      ['created_at', iso('r.created_at')],
      ['refund_id', 'r.id::text'],
      ['stripe_refund_id', 'r.stripe_refund_id'],
      ['status', 'r.status::text'],
      ['origin', 'r.origin'],
      ['customer_id', 'r.customer_id::text'],
      ['customer_email', 'c.email'],
      ['payment_id', 'r.payment_id::text'],
      ['charge_id', 'p.charge_id'],
      ['currency', 'r.currency'],
      ['amount_minor', 'r.amount::text'],
      ['credits_clawed_back', 'r.credits_clawed_back::text'],
      ['stripe_reason', 'r.stripe_reason'],
      ['reason', 'r.reason'],
      ['requested_by', 'r.requested_by'],
      ['approved_by', 'r.approved_by'],
      ['error', 'r.error'],
    ],
    `${customerJoin('r')} LEFT JOIN payment p ON p.id = r.payment_id`,
  ),
  ledger: dated('ledger_entry', 'e', 'created_at', 'bigint', [
    ['created_at', iso('e.created_at')],
    ['entry_id', 'e.id::text'],
    ['customer_id', 'e.customer_id::text'],
    ['type', 'e.type::text'],
    ['credits', 'e.credits::text'],
    ['balance_after', 'e.balance_after::text'],
    ['lot_id', 'e.lot_id::text'],
    ['reference_type', 'e.reference_type'],
    ['reference', 'e.reference'],
    ['actor_type', 'e.actor_type::text'],
    ['actor_id', 'e.actor_id'],
    ['reason', 'e.reason'],
    ['idempotency_key', 'e.idempotency_key'],
  ]),
  disputes: dated(
    'dispute',
    'd',
    'stripe_created',
    'text',
    [
      ['opened_at', iso('d.stripe_created')],
      ['dispute_id', 'd.id'],
      ['charge_id', 'd.charge_id'],
      ['payment_id', 'd.payment_id::text'],
      ['customer_id', 'd.customer_id::text'],
      ['customer_email', 'c.email'],
      ['status', 'd.status'],
      ['reason', 'd.reason'],
      ['currency', 'd.currency'],
      ['amount_minor', 'd.amount::text'],
      ['evidence_due_by', iso('d.evidence_due_by')],
      ['submitted_at', iso('d.submitted_at')],
      ['outcome', 'd.outcome'],
      ['frozen_credits', 'd.frozen_credits::text'],
    ],
    customerJoin('d'),
  ),
};

/**
 * Credits liability as of now, per customer: remaining paid and free credits (expired lots left
 * out), what the paid ones are worth (each lot: amount paid x remaining / granted, rounded down)
 * and how many expire within 30, 60 and 90 days (cumulative). A customer with paid credits in
 * several currencies gets one row per currency; free credits sit on the row of their first
 * currency, so summing rows never counts a credit twice. Customers without credits are left out.
 */
export const LIABILITY_QUERY: KindQuery = {
  columns: [
    'customer_id',
    'customer_external_id',
    'customer_email',
    'customer_status',
    'currency',
    'paid_credits',
    'free_credits',
    'paid_value_minor',
    'expiring_30d',
    'expiring_60d',
    'expiring_90d',
  ],
  batch(_range, after, limit) {
    return {
      sql: `WITH now_utc AS (SELECT (now() AT TIME ZONE 'UTC') AS t),
            live AS (
              SELECT l.* FROM credit_lot l, now_utc
               WHERE l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > now_utc.t)
            ),
            c AS (
              SELECT cu.id, cu.external_id, cu.email, cu.status FROM customer cu
               WHERE ($1::uuid IS NULL OR cu.id > $1::uuid)
                 AND EXISTS (SELECT 1 FROM live WHERE live.customer_id = cu.id)
               ORDER BY cu.id
               LIMIT $2::int
            ),
            lots AS (
              SELECT live.*,
                     COALESCE(CASE WHEN live.cost_basis = 'paid' THEN live.currency END,
                              min(live.currency) FILTER (WHERE live.cost_basis = 'paid') OVER (PARTITION BY live.customer_id),
                              '') AS bucket
                FROM live JOIN c ON c.id = live.customer_id
            )
            SELECT c.id::text AS k0, c.id::text AS k1, c.id::text AS c0, c.external_id AS c1, c.email AS c2,
                   c.status::text AS c3, lots.bucket AS c4,
                   COALESCE(sum(lots.remaining) FILTER (WHERE lots.cost_basis = 'paid'), 0)::text AS c5,
                   COALESCE(sum(lots.remaining) FILTER (WHERE lots.cost_basis = 'free'), 0)::text AS c6,
                   COALESCE(sum(CASE WHEN lots.cost_basis = 'paid' AND lots.granted > 0
                                     THEN (COALESCE(lots.amount_paid, 0)::bigint * lots.remaining) / lots.granted END), 0)::text AS c7,
                   COALESCE(sum(lots.remaining) FILTER (WHERE lots.expires_at <= (SELECT t FROM now_utc) + interval '30 days'), 0)::text AS c8,
                   COALESCE(sum(lots.remaining) FILTER (WHERE lots.expires_at <= (SELECT t FROM now_utc) + interval '60 days'), 0)::text AS c9,
                   COALESCE(sum(lots.remaining) FILTER (WHERE lots.expires_at <= (SELECT t FROM now_utc) + interval '90 days'), 0)::text AS c10
              FROM c JOIN lots ON lots.customer_id = c.id
             GROUP BY c.id, c.external_id, c.email, c.status, lots.bucket
             ORDER BY c.id, lots.bucket`,
      params: [after?.id ?? null, limit],
    };
  },
  count() {
    return {
      sql: `SELECT count(DISTINCT customer_id)::text FROM credit_lot
             WHERE remaining > 0 AND (expires_at IS NULL OR expires_at > now() AT TIME ZONE 'UTC')`,
      params: [],
    };
  },
};

export function kindQuery(kind: ExportKind): KindQuery {
  return kind === 'liability' ? LIABILITY_QUERY : KIND_QUERIES[kind];
}
