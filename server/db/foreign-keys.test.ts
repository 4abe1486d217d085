// Every column that names another table's row has a real foreign key: the database refuses an
// orphan whatever code writes it (a ledger entry, payment or Stripe event for a customer that does
// not exist, a ledger entry on a lot that does not exist, ...). And the migration that added the
// newer keys copes with a production database that already holds orphans: each is written to the
// audit log, harmless pointers are cleared, money history is left alone under a NOT VALID key.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { MIGRATIONS_DIR } from './migrator.ts';

let db: TestDatabase;
let sql: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await db?.drop();
});

const MISSING = '00000000-0000-4000-8000-000000000000';

async function customer(tag: string): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO customer (id, external_id, email, updated_at) VALUES (gen_random_uuid(), $1, $1 || '@x.test', now())
     RETURNING id`,
    [`fk_${tag}_${randomUUID()}`],
  );
  return rows[0]!.id;
}

function entry(customerId: string, lotId: string | null): [string, unknown[]] {
  return [
    `INSERT INTO ledger_entry (customer_id, type, credits, lot_id, actor_type, reason, idempotency_key, balance_after)
     VALUES ($1, 'manual_adjustment', 0, $2, 'system', 'fk test', $3, 0)`,
    [customerId, lotId, randomUUID()],
  ];
}

/** Runs the statement and returns the SQLSTATE it failed with, or null when it succeeded. */
async function refusal(text: string, values: unknown[]): Promise<string | null> {
  return sql.query(text, values).then(
    () => null,
    (e: { code?: string }) => e.code ?? 'unknown',
  );
}

describe('the database refuses an orphan', () => {
  it.each<[string, (c: string) => [string, unknown[]]]>([
    ['a ledger entry for a customer that does not exist', () => entry(MISSING, null)],
    ['a ledger entry on a lot that does not exist', (c) => entry(c, MISSING)],
    [
      'a payment for a customer that does not exist',
      () => [
        `INSERT INTO payment (id, customer_id, kind, amount, currency, status, updated_at)
         VALUES (gen_random_uuid(), $1, 'pack', 100, 'eur', 'paid', now())`,
        [MISSING],
      ],
    ],
    [
      'a payment naming a lot that does not exist',
      (c) => [
        `INSERT INTO payment (id, customer_id, kind, amount, currency, status, lot_id, updated_at)
         VALUES (gen_random_uuid(), $1, 'pack', 100, 'eur', 'paid', $2, now())`,
        [c, MISSING],
      ],
    ],
    [
      'a usage record naming a ledger entry that does not exist',
      (c) => [
        `INSERT INTO usage (id, customer_id, feature, credits, idempotency_key, request_hash, entry_id)
         VALUES (gen_random_uuid(), $1, 'api', 1, $2, 'h', 999999999)`,
        [c, randomUUID()],
      ],
    ],
    [
      'a Stripe event linked to a customer that does not exist',
      () => [
        `INSERT INTO stripe_event (id, type, created, livemode, payload, customer_id, updated_at)
         VALUES ($1, 'charge.succeeded', now(), false, '{}', $2, now())`,
        [`evt_${randomUUID()}`, MISSING],
      ],
    ],
    [
      'a fraud warning for a customer that does not exist',
      () => [
        `INSERT INTO fraud_warning (id, charge_id, customer_id, fraud_type) VALUES ($1, 'ch_1', $2, 'misc')`,
        [`issfr_${randomUUID()}`, MISSING],
      ],
    ],
    [
      'an outbound event for a customer that does not exist',
      () => [
        `INSERT INTO outbound_event (id, type, version, customer_id, payload) VALUES ($1, 'x', 1, $2, '{}')`,
        [`evt_cd_${randomUUID()}`, MISSING],
      ],
    ],
    [
      'a test event for an endpoint that does not exist',
      () => [
        `INSERT INTO outbound_event (id, type, version, endpoint_id, payload) VALUES ($1, 'endpoint.test', 1, $2, '{}')`,
        [`evt_cd_${randomUUID()}`, MISSING],
      ],
    ],
    [
      'an auto top-up for a customer that does not exist',
      () => [
        `INSERT INTO auto_topup (id, customer_id, pack_key, balance_before, balance_after, threshold)
         VALUES (gen_random_uuid(), $1, 'small', 10, 5, 8)`,
        [MISSING],
      ],
    ],
    [
      'an auto top-up setting for a customer that does not exist',
      () => [`INSERT INTO auto_topup_setting (customer_id, enabled) VALUES ($1, true)`, [MISSING]],
    ],
    [
      'an auto top-up setting naming a pack that does not exist',
      (c) => [`INSERT INTO auto_topup_setting (customer_id, pack_key) VALUES ($1, 'no_such_pack')`, [c]],
    ],
    [
      'a customer on a plan that does not exist',
      () => [
        `INSERT INTO customer (id, external_id, email, plan_key, updated_at)
         VALUES (gen_random_uuid(), $1, 'p@x.test', 'no_such_plan', now())`,
        [`fk_plan_${randomUUID()}`],
      ],
    ],
    [
      'a plan whose auto top-up pack does not exist',
      () => [
        `INSERT INTO plan (key, name, monthly_credits, entitlements, auto_topup_pack_key, updated_at)
         VALUES ($1, 'P', 0, '{}', 'no_such_pack', now())`,
        [`fk_${randomUUID()}`],
      ],
    ],
  ])('%s', async (_name, statement) => {
    const c = await customer('ok');
    const [text, values] = statement(c);
    expect(await refusal(text, values)).toBe('23503');
  });

  it('the same statements with real parents are accepted (the refusals are the keys, not the shapes)', async () => {
    const c = await customer('parents');
    const lot = await sql.query<{ id: string }>(
      `INSERT INTO credit_lot (id, customer_id, source, granted, remaining, cost_basis)
       VALUES (gen_random_uuid(), $1, 'promo', 0, 0, 'free') RETURNING id`,
      [c],
    );
    const [text, values] = entry(c, lot.rows[0]!.id);
    expect(await refusal(text, values)).toBeNull();
    expect(
      await refusal(
        `INSERT INTO auto_topup (id, customer_id, pack_key, balance_before, balance_after, threshold)
                     VALUES (gen_random_uuid(), $1, 'small', 10, 5, 8)`,
        [c],
      ),
    ).toBeNull();
  });

  it('every foreign key is validated on a migrated database', async () => {
    const { rows } = await sql.query(`SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated`);
    expect(rows).toEqual([]);
  });
});

describe('the foreign_keys migration on a database that already holds orphans', () => {
  const migration = readdirSync(MIGRATIONS_DIR).find((d) => d.endsWith('_foreign_keys'));
  const ADDED = [
    ['customer', 'customer_plan_key_fkey'],
    ['plan', 'plan_auto_topup_pack_key_fkey'],
    ['ledger_entry', 'ledger_entry_lot_id_fkey'],
    ['usage', 'usage_entry_id_fkey'],
    ['payment', 'payment_lot_id_fkey'],
    ['fraud_warning', 'fraud_warning_customer_id_fkey'],
    ['stripe_event', 'stripe_event_customer_id_fkey'],
    ['outbound_event', 'outbound_event_customer_id_fkey'],
    ['outbound_event', 'outbound_event_endpoint_id_fkey'],
    ['auto_topup_setting', 'auto_topup_setting_customer_id_fkey'],
    ['auto_topup_setting', 'auto_topup_setting_pack_key_fkey'],
    ['auto_topup', 'auto_topup_customer_id_fkey'],
  ] as const;

  it('audits every orphan, clears or deletes the harmless ones, keeps money history under a NOT VALID key', async () => {
    expect(migration).toBeDefined();
    // Back to the database before the migration: its keys dropped, then rows no key checked.
    for (const [table, name] of ADDED) await sql.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
    const c = await customer('migrate');
    const onGonePlan = await customer('gone_plan');
    await sql.query(`UPDATE customer SET plan_key = 'gone_plan' WHERE id = $1`, [onGonePlan]);
    await sql.query(
      `INSERT INTO plan (key, name, monthly_credits, entitlements, auto_topup_pack_key, updated_at)
       VALUES ('fk_plan', 'P', 0, '{}', 'gone_pack', now())`,
    );
    const [text, values] = entry(c, MISSING);
    await sql.query(text, values);
    const payment = randomUUID();
    await sql.query(
      `INSERT INTO payment (id, customer_id, kind, amount, currency, status, lot_id, updated_at)
       VALUES ($1, $2, 'pack', 100, 'eur', 'paid', $3, now())`,
      [payment, c, MISSING],
    );
    await sql.query(
      `INSERT INTO stripe_event (id, type, created, livemode, payload, customer_id, updated_at)
       VALUES ('evt_fk_orphan', 'charge.succeeded', now(), false, '{}', $1, now())`,
      [MISSING],
    );
    await sql.query(
      `INSERT INTO fraud_warning (id, charge_id, customer_id, fraud_type) VALUES ('issfr_fk', 'ch_1', $1, 'misc')`,
      [MISSING],
    );
    await sql.query(
      `INSERT INTO outbound_event (id, type, version, endpoint_id, payload) VALUES ('evt_cd_fk_test', 'endpoint.test', 1, $1, '{}')`,
      [MISSING],
    );
    await sql.query(`INSERT INTO auto_topup_setting (customer_id, enabled) VALUES ($1, true)`, [MISSING]);
    await sql.query(`INSERT INTO auto_topup_setting (customer_id, pack_key) VALUES ($1, 'gone_pack')`, [c]);

    await sql.query(readFileSync(path.join(MIGRATIONS_DIR, migration as string, 'migration.sql'), 'utf8'));

    const audited = await sql.query<{ target_type: string; target_id: string; before: Record<string, unknown> }>(
      `SELECT target_type, target_id, before FROM audit_log WHERE action = 'migration.foreign_key_orphan'
        ORDER BY target_type, target_id`,
    );
    expect(audited.rows.map((r) => [r.target_type, r.target_id])).toEqual(
      [
        ['auto_topup_setting', MISSING],
        ['auto_topup_setting', c],
        ['customer', onGonePlan],
        ['fraud_warning', 'issfr_fk'],
        ['ledger_entry', expect.any(String)],
        ['outbound_event', 'evt_cd_fk_test'],
        ['payment', payment],
        ['plan', 'fk_plan'],
        ['stripe_event', 'evt_fk_orphan'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
    );
    expect(audited.rows.find((r) => r.target_type === 'stripe_event')?.before).toEqual({ customer_id: MISSING });

    // Cleared and deleted.
    const after = await sql.query(`
      SELECT (SELECT customer_id FROM stripe_event WHERE id = 'evt_fk_orphan') AS event_customer,
             (SELECT customer_id FROM fraud_warning WHERE id = 'issfr_fk') AS warning_customer,
             (SELECT auto_topup_pack_key FROM plan WHERE key = 'fk_plan') AS plan_pack,
             (SELECT pack_key FROM auto_topup_setting WHERE customer_id = '${c}') AS setting_pack,
             (SELECT count(*)::int FROM auto_topup_setting WHERE customer_id = '${MISSING}') AS orphan_settings,
             (SELECT count(*)::int FROM outbound_event WHERE id = 'evt_cd_fk_test') AS test_events,
             (SELECT plan_key FROM customer WHERE id = '${onGonePlan}') AS kept_plan,
             (SELECT lot_id FROM payment WHERE id = '${payment}') AS kept_lot`);
    expect(after.rows[0]).toEqual({
      event_customer: null,
      warning_customer: null,
      plan_pack: null,
      setting_pack: null,
      orphan_settings: 0,
      test_events: 0,
      kept_plan: 'gone_plan',
      kept_lot: MISSING,
    });

    // Money history and the customer's plan were not edited: their keys wait, NOT VALID, while
    // the clean ones were validated.
    const unvalidated = await sql.query<{ conname: string }>(
      `SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated ORDER BY conname`,
    );
    expect(unvalidated.rows.map((r) => r.conname)).toEqual([
      'customer_plan_key_fkey',
      'ledger_entry_lot_id_fkey',
      'payment_lot_id_fkey',
    ]);
    // A NOT VALID key still checks every new row, and leaves the old row's other columns writable.
    expect(await refusal(...entry(c, MISSING))).toBe('23503');
    expect(await refusal(`UPDATE customer SET email = 'still@x.test' WHERE id = $1`, [onGonePlan])).toBeNull();
  });
});
