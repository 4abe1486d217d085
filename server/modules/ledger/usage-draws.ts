// The statements behind POST /usage: the ledger's draw and the usage row in one statement. Uses
// of one customer that arrive while its previous statement is in flight go together in its next
// one (server/lib/keyed-batcher.ts): they would only queue on its row lock, one statement and one
// commit each; together they take the lock once and commit once. Other customers never wait for
// a batch (lanes shared by several customers were no faster over HTTP here, p99 100 ms vs 51). Each
// use in a batch is still its own ledger_post_entry call with its own key, refusal or replay; a
// batch that fails as a whole is retried one use at a time, so any error is the one that use
// alone gets.
import { hotQuery, poolOf } from '../../db/client.ts';
import { KeyedBatcher, type Settled } from '../../lib/keyed-batcher.ts';
import type { LedgerOutcome } from './post-entry.ts';

/** One use to draw for: the ledger request (ledgerRequest) and the usage row's fields. */
export interface UsageDraw {
  request: string;
  usageId: string;
  feature: string;
  credits: number;
  idempotencyKey: string;
  hash: string;
  /** JSON text, or null. */
  metadata: string | null;
}

/** By id (the general path, which has checked everything), or by external id while its plan includes the feature. */
export type UsageTarget = { customerId: string } | { externalId: string; plans: string[]; defaultPlan: string | null };

export interface UsageRow {
  r: LedgerOutcome;
  customer_id: string;
}

// $9 NULL: the customer is $3. Otherwise the customer is the one with external id $10 whose plan
// (its own, or the default $11) is one of $9, and only while the idempotency key $6 is unused.
const CONSUME_SQL = `
  WITH target AS (
         SELECT c.id FROM customer c
          WHERE $9::text[] IS NULL AND c.id = $3::uuid
         UNION ALL
         SELECT c.id FROM customer c
          WHERE $9::text[] IS NOT NULL AND c.external_id = $10::text
            AND COALESCE(c.plan_key, $11::text) = ANY($9::text[])
            AND NOT EXISTS (SELECT 1 FROM usage u WHERE u.idempotency_key = $6::text)),
       posted AS MATERIALIZED (
         SELECT target.id AS customer_id,
                ledger_post_entry(jsonb_set($1::jsonb, '{customerId}', to_jsonb(target.id::text))) AS r
           FROM target),
       recorded AS (
         INSERT INTO usage (id, customer_id, feature, credits, idempotency_key, request_hash, metadata, entry_id, created_at)
         SELECT $2::uuid, customer_id, $4::text, $5::int, $6::text, $7::text, $8::jsonb, (r->'entry'->>'id')::bigint,
                now()
           FROM posted WHERE r->>'status' = 'posted'
         RETURNING id)
  SELECT r, customer_id::text AS customer_id FROM posted`;

// The same for several uses ($1..$7 side by side, `ord` from 1; $7 the external ids) of one
// feature ($8) on plans $10 (default plan $9): one row per use whose customer qualifies and whose
// key is unused (one customer today; ORDER BY c.id would keep several customers' locks in id
// order: the ledger calls are volatile, so they run after the sort).
const CONSUME_BATCH_SQL = `
  WITH q AS (
         SELECT * FROM unnest($1::jsonb[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::jsonb[], $7::text[])
                  WITH ORDINALITY AS q(request, usage_id, credits, idempotency_key, request_hash, metadata, external_id, ord)),
       posted AS MATERIALIZED (
         SELECT q.ord, q.usage_id, q.credits, q.idempotency_key, q.request_hash, q.metadata, c.id AS customer_id,
                ledger_post_entry(jsonb_set(q.request, '{customerId}', to_jsonb(c.id::text))) AS r
           FROM q JOIN customer c ON c.external_id = q.external_id
          WHERE COALESCE(c.plan_key, $9::text) = ANY($10::text[])
            AND NOT EXISTS (SELECT 1 FROM usage u WHERE u.idempotency_key = q.idempotency_key)
          ORDER BY c.id, q.ord),
       recorded AS (
         INSERT INTO usage (id, customer_id, feature, credits, idempotency_key, request_hash, metadata, entry_id, created_at)
         SELECT usage_id, customer_id, $8::text, credits, idempotency_key, request_hash, metadata,
                (r->'entry'->>'id')::bigint, now()
           FROM posted WHERE r->>'status' = 'posted'
         RETURNING id)
  SELECT ord::int AS ord, r, customer_id::text AS customer_id FROM posted`;

type Item = { target: Extract<UsageTarget, { externalId: string }>; draw: UsageDraw };

const batchers = new WeakMap<object, KeyedBatcher<Item, UsageRow | null>>();

/**
 * Draws for one use and writes its usage row. Null when a target by external id did not qualify
 * (unknown customer, another plan, or the key was used): nothing was written.
 */
export async function drawForUsage(db: object, target: UsageTarget, draw: UsageDraw): Promise<UsageRow | null> {
  // Batches only on the root client: inside a caller's transaction each statement is its own.
  if ('customerId' in target || !poolOf(db)) return drawOne(db, target, draw);
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new KeyedBatcher((items) => drawBatch(db, items));
    batchers.set(db, batcher);
  }
  const key = [target.externalId, draw.feature, target.defaultPlan ?? '', ...target.plans].join('\n');
  return batcher.submit(key, { target, draw });
}

async function drawOne(db: object, target: UsageTarget, draw: UsageDraw): Promise<UsageRow | null> {
  const byId = 'customerId' in target;
  const rows = await hotQuery<UsageRow>(db, 'record_usage', CONSUME_SQL, [
    draw.request,
    draw.usageId,
    byId ? target.customerId : null,
    draw.feature,
    draw.credits,
    draw.idempotencyKey,
    draw.hash,
    draw.metadata,
    byId ? null : target.plans,
    byId ? null : target.externalId,
    byId ? null : target.defaultPlan,
  ]);
  return rows[0] ?? null;
}

async function drawBatch(db: object, items: Item[]): Promise<Array<Settled<UsageRow | null>>> {
  // A key repeated within the batch goes after it, alone, so it sees the first one's outcome.
  const seen = new Set<string>();
  const firsts: number[] = [];
  const repeats: number[] = [];
  items.forEach((item, i) => {
    (seen.has(item.draw.idempotencyKey) ? repeats : firsts).push(i);
    seen.add(item.draw.idempotencyKey);
  });
  const answers: Array<Settled<UsageRow | null>> = new Array(items.length);
  const together =
    firsts.length > 1
      ? await drawTogether(
          db,
          firsts.map((i) => items[i]!),
        )
      : null;
  firsts.forEach((i, k) => {
    if (together) answers[i] = { ok: true, value: together[k] ?? null };
  });
  // One at a time, in order: a lone use, the repeats, or every use of a batch that failed.
  for (const i of [...(together ? [] : firsts), ...repeats].sort((x, y) => x - y)) {
    const { target, draw } = items[i]!;
    try {
      answers[i] = { ok: true, value: await drawOne(db, target, draw) };
    } catch (error) {
      answers[i] = { ok: false, error };
    }
  }
  return answers;
}

/** Null when the batch failed as a whole: nothing of it was written (one statement). */
async function drawTogether(db: object, items: Item[]): Promise<Array<UsageRow | null> | null> {
  const { target, draw } = items[0]!;
  try {
    const rows = await hotQuery<UsageRow & { ord: number }>(db, 'record_usage_batch', CONSUME_BATCH_SQL, [
      items.map((i) => i.draw.request),
      items.map((i) => i.draw.usageId),
      items.map((i) => i.draw.credits),
      items.map((i) => i.draw.idempotencyKey),
      items.map((i) => i.draw.hash),
      items.map((i) => i.draw.metadata),
      items.map((i) => i.target.externalId),
      draw.feature,
      target.defaultPlan,
      target.plans,
    ]);
    const byOrd = new Map(rows.map((row) => [row.ord, { r: row.r, customer_id: row.customer_id }]));
    return items.map((_, i) => byOrd.get(i + 1) ?? null);
  } catch {
    return null;
  }
}
