-- Foreign keys for every column that names another table's row (issue 17.4). Columns left without
-- one say why in schema.prisma (Stripe ids of objects we may not have, history that outlives the
-- catalog, polymorphic actor ids, the audit log).
--
-- A database that already holds a row naming a missing parent must not stop the release, and
-- nothing may vanish unseen: each such row is first written to the audit log
-- (action migration.foreign_key_orphan, with the old value). Then:
--   * a pointer whose loss changes nothing (an event's or warning's customer link, a pack
--     default that falls back to the plan's) is cleared; a test event of a deleted endpoint,
--     which could never be sent, and an auto top-up setting of no customer are deleted;
--   * money history (ledger entries, usage, payments, auto top-up charges) and a customer's plan
--     are not edited by a migration: their constraint is added NOT VALID, so every new or changed
--     row is checked at once, and validated at the end of this migration when nothing is orphaned
--     (on a clean database, always). A still-unvalidated constraint is listed by
--     SELECT conname FROM pg_constraint WHERE NOT convalidated; fix the audited rows, then
--     ALTER TABLE ... VALIDATE CONSTRAINT ....


-- DropForeignKey
ALTER TABLE "outbound_delivery" DROP CONSTRAINT "outbound_delivery_event_id_fkey"; -- replaced below with ON DELETE CASCADE (a delivery is of its event)

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'customer', o."id"::text, jsonb_build_object('plan_key', o."plan_key"),
       'customer.plan_key names a plan row that does not exist: kept as it is (the constraint stays NOT VALID until it is fixed)'
FROM (SELECT x.* FROM "customer" x WHERE x."plan_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "plan" p WHERE p."key" = x."plan_key")) o;
ALTER TABLE "customer" ADD CONSTRAINT "customer_plan_key_fkey" FOREIGN KEY ("plan_key") REFERENCES "plan"("key") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'plan', o."key", jsonb_build_object('auto_topup_pack_key', o."auto_topup_pack_key"),
       'plan.auto_topup_pack_key names a credit_pack row that does not exist: cleared (set to null)'
FROM (SELECT x.* FROM "plan" x WHERE x."auto_topup_pack_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_pack" p WHERE p."key" = x."auto_topup_pack_key")) o;
UPDATE "plan" x SET "auto_topup_pack_key" = NULL WHERE x."auto_topup_pack_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_pack" p WHERE p."key" = x."auto_topup_pack_key");
ALTER TABLE "plan" ADD CONSTRAINT "plan_auto_topup_pack_key_fkey" FOREIGN KEY ("auto_topup_pack_key") REFERENCES "credit_pack"("key") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'ledger_entry', o."id"::text, jsonb_build_object('lot_id', o."lot_id"),
       'ledger_entry.lot_id names a credit_lot row that does not exist: kept as it is (the constraint stays NOT VALID until it is fixed)'
FROM (SELECT x.* FROM "ledger_entry" x WHERE x."lot_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_lot" p WHERE p."id" = x."lot_id")) o;
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "credit_lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'usage', o."id"::text, jsonb_build_object('entry_id', o."entry_id"),
       'usage.entry_id names a ledger_entry row that does not exist: kept as it is (the constraint stays NOT VALID until it is fixed)'
FROM (SELECT x.* FROM "usage" x WHERE x."entry_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "ledger_entry" p WHERE p."id" = x."entry_id")) o;
ALTER TABLE "usage" ADD CONSTRAINT "usage_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'payment', o."id"::text, jsonb_build_object('lot_id', o."lot_id"),
       'payment.lot_id names a credit_lot row that does not exist: kept as it is (the constraint stays NOT VALID until it is fixed)'
FROM (SELECT x.* FROM "payment" x WHERE x."lot_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_lot" p WHERE p."id" = x."lot_id")) o;
ALTER TABLE "payment" ADD CONSTRAINT "payment_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "credit_lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'fraud_warning', o."id"::text, jsonb_build_object('customer_id', o."customer_id"),
       'fraud_warning.customer_id names a customer row that does not exist: cleared (set to null)'
FROM (SELECT x.* FROM "fraud_warning" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id")) o;
UPDATE "fraud_warning" x SET "customer_id" = NULL WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id");
ALTER TABLE "fraud_warning" ADD CONSTRAINT "fraud_warning_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'stripe_event', o."id"::text, jsonb_build_object('customer_id', o."customer_id"),
       'stripe_event.customer_id names a customer row that does not exist: cleared (set to null)'
FROM (SELECT x.* FROM "stripe_event" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id")) o;
UPDATE "stripe_event" x SET "customer_id" = NULL WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id");
ALTER TABLE "stripe_event" ADD CONSTRAINT "stripe_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'outbound_event', o."id"::text, jsonb_build_object('customer_id', o."customer_id"),
       'outbound_event.customer_id names a customer row that does not exist: cleared (set to null)'
FROM (SELECT x.* FROM "outbound_event" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id")) o;
UPDATE "outbound_event" x SET "customer_id" = NULL WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id");
ALTER TABLE "outbound_event" ADD CONSTRAINT "outbound_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'outbound_event', o."id"::text, to_jsonb(o),
       'outbound_event.endpoint_id names an outbound_endpoint row that does not exist: deleted'
FROM (SELECT x.* FROM "outbound_event" x WHERE x."endpoint_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "outbound_endpoint" p WHERE p."id" = x."endpoint_id")) o;
DELETE FROM "outbound_event" x WHERE x."endpoint_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "outbound_endpoint" p WHERE p."id" = x."endpoint_id");
ALTER TABLE "outbound_event" ADD CONSTRAINT "outbound_event_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "outbound_endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey (a delivery of a test event deleted just above could only have been a resend)
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'outbound_delivery', o."id"::text, to_jsonb(o),
       'outbound_delivery.event_id names an outbound_event row that does not exist: deleted'
FROM (SELECT x.* FROM "outbound_delivery" x WHERE NOT EXISTS (SELECT 1 FROM "outbound_event" p WHERE p."id" = x."event_id")) o;
DELETE FROM "outbound_delivery" x WHERE NOT EXISTS (SELECT 1 FROM "outbound_event" p WHERE p."id" = x."event_id");
ALTER TABLE "outbound_delivery" ADD CONSTRAINT "outbound_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "outbound_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'auto_topup_setting', o."customer_id"::text, to_jsonb(o),
       'auto_topup_setting.customer_id names a customer row that does not exist: deleted'
FROM (SELECT x.* FROM "auto_topup_setting" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id")) o;
DELETE FROM "auto_topup_setting" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id");
ALTER TABLE "auto_topup_setting" ADD CONSTRAINT "auto_topup_setting_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'auto_topup_setting', o."customer_id"::text, jsonb_build_object('pack_key', o."pack_key"),
       'auto_topup_setting.pack_key names a credit_pack row that does not exist: cleared (set to null)'
FROM (SELECT x.* FROM "auto_topup_setting" x WHERE x."pack_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_pack" p WHERE p."key" = x."pack_key")) o;
UPDATE "auto_topup_setting" x SET "pack_key" = NULL WHERE x."pack_key" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "credit_pack" p WHERE p."key" = x."pack_key");
ALTER TABLE "auto_topup_setting" ADD CONSTRAINT "auto_topup_setting_pack_key_fkey" FOREIGN KEY ("pack_key") REFERENCES "credit_pack"("key") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
INSERT INTO "audit_log" ("actor_id", "action", "target_type", "target_id", "before", "reason")
SELECT 'system:migration', 'migration.foreign_key_orphan', 'auto_topup', o."id"::text, jsonb_build_object('customer_id', o."customer_id"),
       'auto_topup.customer_id names a customer row that does not exist: kept as it is (the constraint stays NOT VALID until it is fixed)'
FROM (SELECT x.* FROM "auto_topup" x WHERE x."customer_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "customer" p WHERE p."id" = x."customer_id")) o;
ALTER TABLE "auto_topup" ADD CONSTRAINT "auto_topup_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;

-- Validate the NOT VALID ones that nothing violates (each in its own subtransaction: one that
-- fails leaves its constraint NOT VALID, with the rows already in the audit log).
DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE contype = 'f' AND NOT convalidated AND conname IN ('customer_plan_key_fkey', 'ledger_entry_lot_id_fkey', 'usage_entry_id_fkey', 'payment_lot_id_fkey', 'auto_topup_customer_id_fkey') LOOP
    BEGIN
      EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', c.tbl, c.conname);
    EXCEPTION WHEN foreign_key_violation THEN
      RAISE WARNING 'foreign key % stays NOT VALID: rows in the audit log (migration.foreign_key_orphan) name missing parents', c.conname;
    END;
  END LOOP;
END
$$;

-- prisma/sql/functions/ledger_post_entry.sql (a grant writes its lot before the entry that names it)
CREATE OR REPLACE FUNCTION public.ledger_post_entry(p jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_mode TEXT := p->>'mode';
  v_key TEXT := p->>'idempotencyKey';
  v_now TIMESTAMPTZ(3) := COALESCE((p->>'now')::TIMESTAMPTZ(3), now());
  v_customer UUID;
  v_balance INTEGER;
  v_status "CustomerStatus";
  v_external_id TEXT;
  v_low INTEGER;
  v_topup INTEGER;
  v_pack TEXT;
  v_lot "credit_lot";
  v_lot_ids UUID[] := '{}';
  v_deltas INTEGER[] := '{}';
  v_delta INTEGER := 0;
  v_entry_lot UUID;
  v_entry "ledger_entry";
  v_need INTEGER;
  v_available INTEGER;
  v_problems JSONB;
  v_allocations JSONB;
BEGIN
  IF v_mode IN ('grant', 'draw') THEN
    v_customer := (p->>'customerId')::UUID;
  ELSE
    -- A lot never changes customer, so reading its owner before the lock is safe.
    SELECT customer_id INTO v_customer FROM "credit_lot"
      WHERE id = COALESCE(p->>'lotId', p->'lotIds'->>0)::UUID;
    IF NOT FOUND THEN RETURN jsonb_build_object('status', 'lot_not_found'); END IF;
  END IF;

  -- With the lock, what a drop of the balance is measured against (outbound_on_balance_drop): the
  -- credits.low threshold (the customer's, else its plan's) and, while auto top-up is on and not
  -- paused, its threshold and pack. Read in this one statement, so a consume pays no extra round.
  SELECT c.balance, c.status, c.external_id, COALESCE(c.low_balance_threshold, pl.low_balance_threshold),
         CASE WHEN s.enabled AND s.paused_at IS NULL THEN COALESCE(s.threshold_credits, pl.auto_topup_threshold) END,
         CASE WHEN s.enabled AND s.paused_at IS NULL THEN COALESCE(s.pack_key, pl.auto_topup_pack_key) END
    INTO v_balance, v_status, v_external_id, v_low, v_topup, v_pack
    FROM "customer" c
    LEFT JOIN "plan" pl ON pl.key = COALESCE(c.plan_key, (SELECT d.key FROM "plan" d WHERE d.is_default LIMIT 1))
    LEFT JOIN "auto_topup_setting" s ON s.customer_id = c.id
   WHERE c.id = v_customer
     FOR NO KEY UPDATE OF c;
  IF NOT FOUND THEN RETURN jsonb_build_object('status', 'customer_not_found'); END IF;

  SELECT * INTO v_entry FROM "ledger_entry" WHERE idempotency_key = v_key;
  IF FOUND THEN RETURN ledger_entry_result('replayed', v_entry); END IF;

  IF COALESCE((p->>'requireActive')::BOOLEAN, false) AND v_status = 'blocked' THEN
    RETURN jsonb_build_object('status', 'blocked');
  END IF;

  IF v_mode = 'grant' THEN
    v_delta := (p->>'credits')::INTEGER;
    v_entry_lot := gen_random_uuid();

  ELSIF v_mode = 'draw' THEN
    -- Draw-down order: soonest expiry first (never-expiring last), then free before paid, then
    -- oldest. Frozen and expired lots are skipped. Each lot gives min(remaining, what is still needed).
    v_need := (p->>'credits')::INTEGER;
    SELECT COALESCE(array_agg(id ORDER BY pos), '{}'),
           COALESCE(array_agg(-LEAST(remaining, v_need - (running - remaining)) ORDER BY pos), '{}'),
           COALESCE(max(total), 0)
      INTO v_lot_ids, v_deltas, v_available
      FROM (
        SELECT id, remaining,
               sum(remaining) OVER w AS running,
               row_number() OVER w AS pos,
               sum(remaining) OVER () AS total
          FROM "credit_lot"
         WHERE customer_id = v_customer AND remaining > 0 AND NOT frozen
           AND (expires_at IS NULL OR expires_at > v_now)
        WINDOW w AS (ORDER BY expires_at ASC NULLS LAST, cost_basis = 'paid', created_at, id
                     ROWS UNBOUNDED PRECEDING)
      ) ranked
     WHERE running - remaining < v_need;
    IF v_available < v_need THEN
      RETURN jsonb_build_object('status', 'insufficient', 'required', v_need,
                                'available', v_available, 'balance', v_balance);
    END IF;
    v_delta := -v_need;

  ELSIF v_mode = 'lots' THEN
    v_lot_ids := ARRAY(SELECT jsonb_array_elements_text(p->'lotIds')::UUID);
    v_deltas := ARRAY(SELECT jsonb_array_elements_text(p->'deltas')::INTEGER);
    IF COALESCE((p->>'cap')::BOOLEAN, false) THEN
      -- Take at most what remains (a clawback after usage): the clamp happens under the lock.
      SELECT COALESCE(array_agg(d.lot_id ORDER BY d.ord), '{}'),
             COALESCE(array_agg(GREATEST(d.delta, -l.remaining) ORDER BY d.ord), '{}')
        INTO v_lot_ids, v_deltas
        FROM unnest(v_lot_ids, v_deltas) WITH ORDINALITY AS d(lot_id, delta, ord)
        JOIN "credit_lot" l ON l.id = d.lot_id AND l.customer_id = v_customer
       WHERE GREATEST(d.delta, -l.remaining) <> 0;
      IF cardinality(v_lot_ids) = 0 THEN RETURN jsonb_build_object('status', 'noop', 'balance', v_balance); END IF;
    END IF;
    SELECT jsonb_agg(jsonb_build_object('lotId', d.lot_id, 'change', d.delta,
                                        'remaining', l.remaining, 'granted', l.granted))
      INTO v_problems
      FROM unnest(v_lot_ids, v_deltas) AS d(lot_id, delta)
      LEFT JOIN "credit_lot" l ON l.id = d.lot_id AND l.customer_id = v_customer
     WHERE l.id IS NULL OR l.remaining + d.delta < 0 OR l.remaining + d.delta > l.granted;
    IF v_problems IS NOT NULL THEN
      RETURN jsonb_build_object('status', 'out_of_range', 'problems', v_problems);
    END IF;
    SELECT sum(x) INTO v_delta FROM unnest(v_deltas) AS x;
    IF cardinality(v_lot_ids) = 1 THEN v_entry_lot := v_lot_ids[1]; END IF;

  ELSIF v_mode IN ('expire', 'freeze', 'release') THEN
    SELECT * INTO v_lot FROM "credit_lot" WHERE id = (p->>'lotId')::UUID;
    v_entry_lot := v_lot.id;
    IF v_mode = 'expire' THEN
      IF v_lot.frozen OR v_lot.remaining = 0 OR v_lot.expires_at IS NULL OR v_lot.expires_at > v_now THEN
        RETURN jsonb_build_object('status', 'noop', 'balance', v_balance);
      END IF;
      v_lot_ids := ARRAY[v_lot.id];
      v_deltas := ARRAY[-v_lot.remaining];
      v_delta := -v_lot.remaining;
    ELSIF v_lot.frozen = (v_mode = 'freeze') THEN
      RETURN jsonb_build_object('status', CASE WHEN v_lot.frozen THEN 'already_frozen' ELSE 'not_frozen' END);
    END IF;

  ELSE
    RAISE EXCEPTION 'ledger_post_entry: unknown mode %', v_mode;
  END IF;

  IF v_mode = 'grant' THEN
    -- The lot comes first: the entry names it (ledger_entry_lot_id_fkey).
    INSERT INTO "credit_lot" (id, customer_id, source, granted, remaining, expires_at, cost_basis,
                              amount_paid, currency, stripe_reference, created_at)
    VALUES (v_entry_lot, v_customer, (p#>>'{lot,source}')::"LotSource", v_delta, v_delta,
            (p#>>'{lot,expiresAt}')::TIMESTAMPTZ(3), (p#>>'{lot,costBasis}')::"CostBasis",
            (p#>>'{lot,amountPaid}')::INTEGER, p#>>'{lot,currency}', p#>>'{lot,stripeReference}',
            now());
  END IF;

  INSERT INTO "ledger_entry" (customer_id, type, credits, lot_id, reference_type, reference, actor_type,
                              actor_id, reason, idempotency_key, balance_after, metadata, created_at)
  VALUES (v_customer, (p->>'type')::"LedgerEntryType", v_delta, v_entry_lot, p->>'referenceType',
          p->>'reference', (p->>'actorType')::"ActorType", p->>'actorId', p->>'reason', v_key,
          v_balance + v_delta, NULLIF(p->'metadata', 'null'::JSONB), now())
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING * INTO v_entry;
  IF NOT FOUND THEN
    -- Another customer's transaction committed this key while we waited on the unique index.
    DELETE FROM "credit_lot" WHERE v_mode = 'grant' AND id = v_entry_lot;
    SELECT * INTO v_entry FROM "ledger_entry" WHERE idempotency_key = v_key;
    RETURN ledger_entry_result('replayed', v_entry);
  END IF;

  IF v_mode IN ('freeze', 'release') THEN
    UPDATE "credit_lot" SET frozen = (v_mode = 'freeze') WHERE id = v_entry_lot;
  END IF;

  IF cardinality(v_lot_ids) > 0 THEN
    WITH ins AS (
      INSERT INTO "ledger_allocation" (entry_id, lot_id, credits, position)
      SELECT v_entry.id, a.lot_id, a.delta, a.ord - 1
        FROM unnest(v_lot_ids, v_deltas) WITH ORDINALITY AS a(lot_id, delta, ord)
      RETURNING *)
    SELECT jsonb_agg(to_jsonb(ins) || jsonb_build_object('id', ins.id::text, 'entry_id', ins.entry_id::text) ORDER BY ins.position)
      INTO v_allocations FROM ins;
    PERFORM set_config('creditdesk.ledger_write', 'on', true);
    UPDATE "credit_lot" l SET remaining = l.remaining + a.delta
      FROM unnest(v_lot_ids, v_deltas) AS a(lot_id, delta)
     WHERE l.id = a.lot_id;
  END IF;

  IF v_delta <> 0 THEN
    -- ledger_guard_projection lets balance change only while this flag is on (this statement).
    PERFORM set_config('creditdesk.ledger_write', 'on', true);
    UPDATE "customer" SET balance = v_balance + v_delta, updated_at = now()
     WHERE id = v_customer;
    -- Only a balance that ends below its highest threshold (0 for credits.depleted) can have
    -- crossed one: every other consume skips the outbound checks entirely.
    IF v_delta < 0 AND v_balance + v_delta < GREATEST(v_low, v_topup, 1) THEN
      PERFORM outbound_on_balance_drop(v_customer, v_external_id, v_balance, v_balance + v_delta, v_low, v_topup, v_pack);
    END IF;
  END IF;
  PERFORM set_config('creditdesk.ledger_write', 'off', true);

  RETURN jsonb_build_object('status', 'posted',
    'entry', to_jsonb(v_entry) || jsonb_build_object('id', v_entry.id::text),
    'allocations', COALESCE(v_allocations, '[]'::jsonb),
    'lot', CASE WHEN v_entry_lot IS NULL THEN NULL
                ELSE (SELECT to_jsonb(l) FROM "credit_lot" l WHERE l.id = v_entry_lot) END);
END
$function$;
