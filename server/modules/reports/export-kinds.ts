// The CSV exports: one keyset-paginated query per kind. Every batch starts where the last row of the
// previous one ended ((time, id) for dated rows, the customer id for liability), through an index,
// so each batch costs the same however deep the export is and no transaction or cursor stays open
// between batches (the embedded database serialises open transactions). PostgreSQL writes each CSV
// line itself, escaping included: Node only forwards text, which keeps a million rows fast and its
// memory flat. Every batch query returns (cursor time, cursor id, line). Times are UTC ISO 8601;
// money is integer minor units beside its currency, each followed by the same amount as a decimal
// in major units (`amount`: "9.00", "500" for JPY) for spreadsheets; credits are integers; staff
// appear by name beside their id.

import { ZERO_DECIMAL_CURRENCIES } from '../../contracts/money.ts';
import type { ExportKindValue } from '../../contracts/reports.ts';

/** The export kinds' one list is the contract's EXPORT_KIND_VALUES. */
export type ExportKind = ExportKindValue;

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
  /** SQL returning (cursor time as text, cursor id as text, the CSV line without its newline). */
  batch(range: ExportRange, after: Cursor | null, limit: number): { sql: string; params: unknown[] };
  count(range: ExportRange): { sql: string; params: unknown[] };
}

/**
 * How a column becomes a CSV cell. `plain`: numbers, uuids and enums, which never need quoting.
 * `text`: anything a person, a client or Stripe wrote: quoted when it holds a comma, quote or line
 * break, and prefixed with ' when a spreadsheet would run it as a formula (=, +, -, @ at the start,
 * unless it is a number). `ts`: a UTC timestamp as ISO 8601.
 */
export type CellKind = 'plain' | 'text' | 'ts';
type Column = [name: string, expr: string, kind?: CellKind];

const Q = "'";

/** Minor units as a decimal in major units ("9.00"; "500" for a zero-decimal currency). */
export function decimalSql(minorExpr: string, currencyExpr: string): string {
  const zero = [...ZERO_DECIMAL_CURRENCIES].map((c) => `'${c}'`).join(', ');
  return (
    `CASE WHEN (${minorExpr}) IS NULL THEN NULL WHEN lower(${currencyExpr}) IN (${zero}) THEN (${minorExpr})::text ` +
    `ELSE to_char((${minorExpr})::numeric / 100, 'FM999999999999990.00') END`
  );
}

/** A staff user's name by the id a record keeps (null for non-staff actors). */
const staffName = (idExpr: string) => `(SELECT su.name FROM "user" su WHERE su.id = ${idExpr})`;

/**
 * What a payment bought, by name: its plan's, or its packs' ("A + B" for a purchase of several);
 * empty when the catalog no longer has the key (the key is in catalog_key beside it).
 */
const boughtName = (alias: string) =>
  `CASE WHEN ${alias}.kind = 'subscription' THEN (SELECT pl.name FROM plan pl WHERE pl.key = ${alias}.catalog_key)
        ELSE (SELECT string_agg(cp.name, ' + ' ORDER BY k.ord)
              FROM unnest(string_to_array(${alias}.catalog_key, ',')) WITH ORDINALITY AS k(key, ord)
              JOIN credit_pack cp ON cp.key = k.key) END`;
export function cellSql(expr: string, kind: CellKind = 'plain'): string {
  // Written in UTC with a literal Z, whatever the session's TimeZone.
  if (kind === 'ts') return `COALESCE(replace(((${expr}) AT TIME ZONE 'UTC')::text, ' ', 'T') || 'Z', '')`;
  if (kind === 'plain') return `COALESCE((${expr})::text, '')`;
  const v = `(${expr})::text`;
  const formula = `(${v} ~ '^[=+@\\t\\r-]' AND ${v} !~ '^-?[0-9]+(\\.[0-9]+)?$')`;
  const guarded = `(CASE WHEN ${formula} THEN ${Q}${Q}${Q}${Q} || ${v} ELSE ${v} END)`;
  return (
    `CASE WHEN ${v} IS NULL THEN '' ` +
    `WHEN ${v} ~ '[",\\n\\r]' THEN '"' || replace(${guarded}, '"', '""') || '"' ` +
    `ELSE ${guarded} END`
  );
}

const lineSql = (columns: Column[]) =>
  `concat_ws(',', ${columns.map(([, expr, kind]) => cellSql(expr, kind)).join(', ')})`;

/** Rows with `timeCol` in [from, to + 1 day), after the cursor, oldest first. */
function dated(
  table: string,
  alias: string,
  timeCol: string,
  idCast: string,
  columns: Column[],
  joins = '',
): KindQuery {
  const t = `${alias}.${timeCol}`;
  const id = `${alias}.id`;
  // The range is whole UTC calendar days: its ends are UTC midnights whatever the session's TimeZone.
  const start = `($1::date::timestamp AT TIME ZONE 'UTC')`;
  const range = `${t} < (($2::date + 1)::timestamp AT TIME ZONE 'UTC')`;
  return {
    columns: columns.map(([name]) => name),
    batch(r, after, limit) {
      return {
        sql: `SELECT ${t}::text AS k0, ${id}::text AS k1, ${lineSql(columns)} AS line
                FROM ${table} ${alias} ${joins}
               WHERE ${t} >= GREATEST(${start}, COALESCE($3::timestamptz, ${start}))
                 AND ${range}
                 AND ($3::timestamptz IS NULL OR ${t} > $3::timestamptz OR ${id} > $4::${idCast})
               ORDER BY ${t}, ${id}
               LIMIT $5::int`,
        params: [r.from, r.to, after?.at ?? null, after?.id ?? null, limit],
      };
    },
    count(r) {
      return {
        sql: `SELECT count(*)::text FROM ${table} ${alias} WHERE ${t} >= ${start} AND ${range}`,
        params: [r.from, r.to],
      };
    },
  };
}

const customerJoin = (alias: string) => `LEFT JOIN customer c ON c.id = ${alias}.customer_id`;

const KIND_QUERIES: Record<Exclude<ExportKind, 'liability'>, KindQuery> = {
  payments: dated(
    'payment',
    'p',
    'created_at',
    'uuid',
    [
      ['created_at', 'p.created_at', 'ts'],
      ['paid_at', 'p.paid_at', 'ts'],
      ['payment_id', 'p.id'],
      ['customer_id', 'p.customer_id'],
      ['customer_external_id', 'c.external_id', 'text'],
      ['customer_email', 'c.email', 'text'],
      ['kind', 'p.kind', 'text'],
      ['catalog_key', 'p.catalog_key', 'text'],
      ['catalog_name', boughtName('p'), 'text'],
      ['status', 'p.status'],
      ['currency', 'p.currency', 'text'],
      ['amount_minor', 'p.amount'],
      ['amount', decimalSql('p.amount', 'p.currency')],
      ['amount_refunded_minor', 'p.amount_refunded'],
      ['amount_refunded', decimalSql('p.amount_refunded', 'p.currency')],
      ['credits_granted', 'p.credits_granted'],
      ['checkout_session_id', 'p.checkout_session_id', 'text'],
      ['invoice_id', 'p.invoice_id', 'text'],
      ['subscription_id', 'p.subscription_id', 'text'],
      ['payment_intent_id', 'p.payment_intent_id', 'text'],
      ['charge_id', 'p.charge_id', 'text'],
    ],
    customerJoin('p'),
  ),
  refunds: dated(
    'refund',
    'r',
    'created_at',
    'uuid',
    [
      ['created_at', 'r.created_at', 'ts'],
      ['refund_id', 'r.id'],
      ['stripe_refund_id', 'r.stripe_refund_id', 'text'],
      ['status', 'r.status'],
      ['origin', 'r.origin', 'text'],
      ['customer_id', 'r.customer_id'],
      ['customer_email', 'c.email', 'text'],
      ['payment_id', 'r.payment_id'],
      ['charge_id', 'p.charge_id', 'text'],
      ['currency', 'r.currency', 'text'],
      ['amount_minor', 'r.amount'],
      ['amount', decimalSql('r.amount', 'r.currency')],
      ['credits_clawed_back', 'r.credits_clawed_back'],
      ['stripe_reason', 'r.stripe_reason', 'text'],
      ['reason', 'r.reason', 'text'],
      ['requested_by', 'r.requested_by', 'text'],
      ['requested_by_name', staffName('r.requested_by'), 'text'],
      ['approved_by', 'r.approved_by', 'text'],
      ['approved_by_name', staffName('r.approved_by'), 'text'],
      ['error', 'r.error', 'text'],
    ],
    `${customerJoin('r')} LEFT JOIN payment p ON p.id = r.payment_id`,
  ),
  ledger: dated('ledger_entry', 'e', 'created_at', 'bigint', [
    ['created_at', 'e.created_at', 'ts'],
    ['entry_id', 'e.id'],
    ['customer_id', 'e.customer_id'],
    ['type', 'e.type'],
    ['credits', 'e.credits'],
    ['balance_after', 'e.balance_after'],
    ['lot_id', 'e.lot_id'],
    ['reference_type', 'e.reference_type', 'text'],
    ['reference', 'e.reference', 'text'],
    ['actor_type', 'e.actor_type'],
    ['actor_id', 'e.actor_id', 'text'],
    ['actor_name', `CASE WHEN e.actor_type = 'staff' THEN ${staffName('e.actor_id')} END`, 'text'],
    ['reason', 'e.reason', 'text'],
    ['idempotency_key', 'e.idempotency_key', 'text'],
  ]),
  disputes: dated(
    'dispute',
    'd',
    'stripe_created',
    'text',
    [
      ['opened_at', 'd.stripe_created', 'ts'],
      ['dispute_id', 'd.id', 'text'],
      ['charge_id', 'd.charge_id', 'text'],
      ['payment_id', 'd.payment_id'],
      ['customer_id', 'd.customer_id'],
      ['customer_email', 'c.email', 'text'],
      ['status', 'd.status', 'text'],
      ['reason', 'd.reason', 'text'],
      ['currency', 'd.currency', 'text'],
      ['amount_minor', 'd.amount'],
      ['amount', decimalSql('d.amount', 'd.currency')],
      ['evidence_due_by', 'd.evidence_due_by', 'ts'],
      ['submitted_at', 'd.submitted_at', 'ts'],
      ['outcome', 'd.outcome', 'text'],
      ['frozen_credits', 'd.frozen_credits'],
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
const LIABILITY_QUERY: KindQuery = {
  columns: [
    'customer_id',
    'customer_external_id',
    'customer_email',
    'customer_status',
    'currency',
    'paid_credits',
    'free_credits',
    'paid_value_minor',
    'paid_value',
    'expiring_30d',
    'expiring_60d',
    'expiring_90d',
  ],
  batch(_range, after, limit) {
    const paidValue = `COALESCE(sum(CASE WHEN lots.cost_basis = 'paid' AND lots.granted > 0
                                THEN (COALESCE(lots.amount_paid, 0)::bigint * lots.remaining) / lots.granted END), 0)`;
    const within = (days: number) =>
      `COALESCE(sum(lots.remaining) FILTER (WHERE lots.expires_at <= now() + interval '${days} days'), 0)`;
    return {
      sql: `WITH live AS (
              SELECT l.* FROM credit_lot l
               WHERE l.remaining > 0 AND (l.expires_at IS NULL OR l.expires_at > now())
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
            SELECT c.id::text AS k0, c.id::text AS k1,
                   concat_ws(',', c.id::text, ${cellSql('c.external_id', 'text')}, ${cellSql('c.email', 'text')},
                             c.status::text, ${cellSql('lots.bucket', 'text')},
                             COALESCE(sum(lots.remaining) FILTER (WHERE lots.cost_basis = 'paid'), 0),
                             COALESCE(sum(lots.remaining) FILTER (WHERE lots.cost_basis = 'free'), 0),
                             ${paidValue},
                             ${decimalSql(paidValue, 'lots.bucket')},
                             ${within(30)}, ${within(60)}, ${within(90)}) AS line
              FROM c JOIN lots ON lots.customer_id = c.id
             GROUP BY c.id, c.external_id, c.email, c.status, lots.bucket
             ORDER BY c.id, lots.bucket`,
      params: [after?.id ?? null, limit],
    };
  },
  count() {
    return {
      sql: `SELECT count(DISTINCT customer_id)::text FROM credit_lot
             WHERE remaining > 0 AND (expires_at IS NULL OR expires_at > now())`,
      params: [],
    };
  },
};

export function kindQuery(kind: ExportKind): KindQuery {
  return kind === 'liability' ? LIABILITY_QUERY : KIND_QUERIES[kind];
}
