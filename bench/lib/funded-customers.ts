// Customers for the service-API suites: `<prefix>-0` … `<prefix>-(n-1)` (external ids), each funded
// with `credits` in one promo lot through the ledger's one write path (the database function every
// grant uses). Shared by bench/http.ts and bench/consume-levers.ts.
import type pg from 'pg';

export async function fundedCustomers(
  client: pg.Client,
  groups: Array<{ prefix: string; count: number }>,
  credits: number,
): Promise<void> {
  for (const { prefix, count } of groups) {
    await client.query(
      `INSERT INTO customer (id, external_id, email, updated_at)
       SELECT gen_random_uuid(), $1 || '-' || g, $1 || '-' || g || '@example.com', now()
         FROM generate_series(0, $2::int - 1) g`,
      [prefix, count],
    );
  }
  await client.query(
    `SELECT ledger_post_entry(jsonb_build_object(
       'mode', 'grant', 'customerId', id, 'credits', $1::int, 'type', 'grant',
       'idempotencyKey', 'bench-fund-' || external_id, 'reason', 'bench funds',
       'actorType', 'system', 'actorId', 'system', 'requireActive', false,
       'lot', jsonb_build_object('source', 'promo', 'costBasis', 'free')))
       FROM customer`,
    [credits],
  );
}
