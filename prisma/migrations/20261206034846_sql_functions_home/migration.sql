-- Every database function's source now has one home, prisma/sql/functions/<name>.sql; this
-- migration (re)creates each from that file, so the database and the files agree
-- (test/sql-functions.test.ts checks it). To change a function: edit its file, then
-- npm run db:migration -- <name> --function <fn>.

-- prisma/sql/functions/creditdesk_forbid_change.sql
CREATE OR REPLACE FUNCTION public.creditdesk_forbid_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END$function$;

-- prisma/sql/functions/creditdesk_notify_change.sql
CREATE OR REPLACE FUNCTION public.creditdesk_notify_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM pg_notify('creditdesk_changes', TG_ARGV[0]);
  RETURN NULL;
END
$function$;

-- prisma/sql/functions/ledger_entry_result.sql
CREATE OR REPLACE FUNCTION public.ledger_entry_result(p_status text, p_entry ledger_entry)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
AS $function$
  SELECT jsonb_build_object(
    'status', p_status,
    -- ids as text: bigint does not survive JSON numbers past 2^53.
    'entry', to_jsonb(p_entry) || jsonb_build_object('id', p_entry.id::text),
    'allocations', COALESCE((
      SELECT jsonb_agg(to_jsonb(a) || jsonb_build_object('id', a.id::text, 'entry_id', a.entry_id::text) ORDER BY a.position)
      FROM "ledger_allocation" a WHERE a.entry_id = p_entry.id), '[]'::jsonb),
    'lot', (SELECT to_jsonb(l) FROM "credit_lot" l WHERE l.id = p_entry.lot_id))
$function$;

-- prisma/sql/functions/ledger_post_entry.sql
CREATE OR REPLACE FUNCTION public.ledger_post_entry(p jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_mode TEXT := p->>'mode';
  v_key TEXT := p->>'idempotencyKey';
  v_now TIMESTAMP(3) := COALESCE((p->>'now')::TIMESTAMP(3), now() AT TIME ZONE 'UTC');
  v_customer UUID;
  v_balance INTEGER;
  v_status "CustomerStatus";
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

  SELECT balance, status INTO v_balance, v_status FROM "customer" WHERE id = v_customer FOR NO KEY UPDATE;
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

  INSERT INTO "ledger_entry" (customer_id, type, credits, lot_id, reference_type, reference, actor_type,
                              actor_id, reason, idempotency_key, balance_after, metadata, created_at)
  VALUES (v_customer, (p->>'type')::"LedgerEntryType", v_delta, v_entry_lot, p->>'referenceType',
          p->>'reference', (p->>'actorType')::"ActorType", p->>'actorId', p->>'reason', v_key,
          v_balance + v_delta, NULLIF(p->'metadata', 'null'::JSONB), now() AT TIME ZONE 'UTC')
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING * INTO v_entry;
  IF NOT FOUND THEN
    -- Another customer's transaction committed this key while we waited on the unique index.
    SELECT * INTO v_entry FROM "ledger_entry" WHERE idempotency_key = v_key;
    RETURN ledger_entry_result('replayed', v_entry);
  END IF;

  IF v_mode = 'grant' THEN
    INSERT INTO "credit_lot" (id, customer_id, source, granted, remaining, expires_at, cost_basis,
                              amount_paid, currency, stripe_reference, created_at)
    VALUES (v_entry_lot, v_customer, (p#>>'{lot,source}')::"LotSource", v_delta, v_delta,
            (p#>>'{lot,expiresAt}')::TIMESTAMP(3), (p#>>'{lot,costBasis}')::"CostBasis",
            (p#>>'{lot,amountPaid}')::INTEGER, p#>>'{lot,currency}', p#>>'{lot,stripeReference}',
            now() AT TIME ZONE 'UTC');
  ELSIF v_mode IN ('freeze', 'release') THEN
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
    UPDATE "credit_lot" l SET remaining = l.remaining + a.delta
      FROM unnest(v_lot_ids, v_deltas) AS a(lot_id, delta)
     WHERE l.id = a.lot_id;
  END IF;

  IF v_delta <> 0 THEN
    UPDATE "customer" SET balance = v_balance + v_delta, updated_at = now() AT TIME ZONE 'UTC'
     WHERE id = v_customer;
  END IF;

  RETURN jsonb_build_object('status', 'posted',
    'entry', to_jsonb(v_entry) || jsonb_build_object('id', v_entry.id::text),
    'allocations', COALESCE(v_allocations, '[]'::jsonb),
    'lot', CASE WHEN v_entry_lot IS NULL THEN NULL
                ELSE (SELECT to_jsonb(l) FROM "credit_lot" l WHERE l.id = v_entry_lot) END);
END
$function$;

-- prisma/sql/functions/outbound_on_balance_drop.sql
CREATE OR REPLACE FUNCTION public.outbound_on_balance_drop()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_plan "plan"%ROWTYPE;
  v_plan_loaded BOOLEAN := FALSE;
  v_threshold INTEGER := NEW.low_balance_threshold;
  v_setting "auto_topup_setting"%ROWTYPE;
  v_topup_threshold INTEGER;
  v_pack TEXT;
  v_payload JSONB;
BEGIN
  IF v_threshold IS NULL THEN
    SELECT * INTO v_plan FROM "plan" WHERE key = NEW.plan_key OR (NEW.plan_key IS NULL AND is_default) LIMIT 1;
    v_plan_loaded := TRUE;
    v_threshold := v_plan.low_balance_threshold;
  END IF;
  v_payload := jsonb_build_object('externalId', NEW.external_id, 'balanceBefore', OLD.balance, 'balance', NEW.balance);
  IF v_threshold IS NOT NULL AND OLD.balance >= v_threshold AND NEW.balance < v_threshold THEN
    PERFORM outbound_record('credits.low', 1, NEW.id, v_payload || jsonb_build_object('threshold', v_threshold), NULL);
  END IF;
  IF OLD.balance > 0 AND NEW.balance <= 0 THEN
    PERFORM outbound_record('credits.depleted', 1, NEW.id, v_payload, NULL);
  END IF;

  SELECT * INTO v_setting FROM "auto_topup_setting" WHERE customer_id = NEW.id;
  IF FOUND AND v_setting.enabled AND v_setting.paused_at IS NULL THEN
    IF NOT v_plan_loaded THEN
      SELECT * INTO v_plan FROM "plan" WHERE key = NEW.plan_key OR (NEW.plan_key IS NULL AND is_default) LIMIT 1;
    END IF;
    v_topup_threshold := COALESCE(v_setting.threshold_credits, v_plan.auto_topup_threshold);
    v_pack := COALESCE(v_setting.pack_key, v_plan.auto_topup_pack_key);
    IF v_topup_threshold IS NOT NULL AND v_pack IS NOT NULL
       AND OLD.balance >= v_topup_threshold AND NEW.balance < v_topup_threshold
       AND NOT EXISTS (SELECT 1 FROM "auto_topup" WHERE customer_id = NEW.id AND status IN ('pending', 'processing')) THEN
      INSERT INTO "auto_topup" (id, customer_id, status, pack_key, balance_before, balance_after, threshold, created_at, updated_at)
      VALUES (gen_random_uuid(), NEW.id, 'pending', v_pack, OLD.balance, NEW.balance, v_topup_threshold,
              now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
    END IF;
  END IF;
  RETURN NULL;
END
$function$;

-- prisma/sql/functions/outbound_on_entitlement_event.sql
CREATE OR REPLACE FUNCTION public.outbound_on_entitlement_event()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_external TEXT := (SELECT external_id FROM "customer" WHERE id = NEW.customer_id);
BEGIN
  PERFORM outbound_record('entitlements.changed', 1, NEW.customer_id, jsonb_build_object(
    'externalId', v_external, 'kind', NEW.kind, 'reason', NEW.reason, 'reference', NEW.reference,
    'planKey', NEW.after->'planKey', 'status', NEW.after->'status',
    'entitlements', COALESCE(NEW.after->'entitlements', '{}'::JSONB),
    'previous', COALESCE(NEW.before->'entitlements', '{}'::JSONB)),
    'entitlements.changed:' || NEW.id::TEXT);
  IF NEW.kind IN ('blocked', 'unblocked') THEN
    PERFORM outbound_record('customer.' || NEW.kind, 1, NEW.customer_id, jsonb_build_object(
      'externalId', v_external, 'reason', NEW.reason, 'blockEventId', NEW.reference),
      'customer.' || NEW.kind || ':' || NEW.id::TEXT);
  END IF;
  RETURN NULL;
END
$function$;

-- prisma/sql/functions/outbound_on_ledger_grant.sql
CREATE OR REPLACE FUNCTION public.outbound_on_ledger_grant()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM outbound_record('credits.granted', 1, NEW.customer_id, jsonb_build_object(
    'externalId', (SELECT external_id FROM "customer" WHERE id = NEW.customer_id),
    'entryId', NEW.id::TEXT, 'entryType', NEW.type::TEXT, 'credits', NEW.credits,
    'balance', NEW.balance_after, 'lotId', NEW.lot_id, 'reason', NEW.reason, 'reference', NEW.reference),
    'credits.granted:' || NEW.id::TEXT);
  RETURN NULL;
END
$function$;

-- prisma/sql/functions/outbound_record.sql
CREATE OR REPLACE FUNCTION public.outbound_record(p_type text, p_version integer, p_customer uuid, p_payload jsonb, p_source_key text, p_endpoint uuid DEFAULT NULL::uuid)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_id TEXT := 'evt_cd_' || replace(gen_random_uuid()::TEXT, '-', '');
BEGIN
  INSERT INTO "outbound_event" (id, type, version, customer_id, payload, source_key, endpoint_id, created_at)
  VALUES (v_id, p_type, p_version, p_customer, p_payload, p_source_key, p_endpoint, clock_timestamp() AT TIME ZONE 'UTC')
  ON CONFLICT (source_key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT id INTO v_id FROM "outbound_event" WHERE source_key = p_source_key;
  END IF;
  RETURN v_id;
END
$function$;

-- prisma/sql/functions/stripe_event_request_id.sql
CREATE OR REPLACE FUNCTION public.stripe_event_request_id()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.request_id := NULLIF(current_setting('creditdesk.request_id', true), '');
  RETURN NEW;
END
$function$;

-- prisma/sql/functions/stripe_ingest_pack_checkout.sql
CREATE OR REPLACE FUNCTION public.stripe_ingest_pack_checkout(p jsonb, p_payload jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_started TIMESTAMPTZ := clock_timestamp();
  v_now TIMESTAMP(3) := now() AT TIME ZONE 'UTC';
  v_event_id TEXT := p->>'id';
  v_session_id TEXT := p->>'sessionId';
  v_created TIMESTAMP(3) := to_timestamp((p->>'created')::DOUBLE PRECISION) AT TIME ZONE 'UTC';
  v_currency TEXT := COALESCE(p->>'currency', 'usd');
  v_key TEXT;
  v_customer "customer";
  v_pack "credit_pack";
  v_ledger JSONB;
  v_credits INTEGER;
  v_summary TEXT;
  v_delivery BIGINT;
  v_status "EventStatus";
  v_elapsed INTEGER := round(COALESCE((p->>'elapsedMs')::NUMERIC, 0))::INTEGER;
BEGIN
  -- A repeat: nothing to apply, so no lock to wait for. (A copy still being applied elsewhere is
  -- not visible yet; it meets the locks below and then the insert's conflict.)
  SELECT status INTO v_status FROM "stripe_event" WHERE id = v_event_id;
  IF FOUND THEN
    INSERT INTO "webhook_delivery" (event_id, received_at, duplicate, source, outcome, duration_ms)
    VALUES (v_event_id, v_now, true, 'webhook', 'duplicate', v_elapsed)
    RETURNING id INTO v_delivery;
    RETURN jsonb_build_object('status', 'stored', 'deliveryId', v_delivery::TEXT, 'duplicate', true,
                              'eventStatus', v_status);
  END IF;

  -- The general pipeline's locks, taken the same way (process-event.ts): events about the same
  -- session, payment intent or user are applied one after the other, whichever path takes them.
  FOR v_key IN SELECT DISTINCT k FROM jsonb_array_elements_text(p->'lockKeys') AS k ORDER BY k LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended(v_key, 0));
  END LOOP;

  -- Under those locks, every reason to leave the event to the general pipeline, before any write.
  SELECT * INTO v_customer FROM "customer" WHERE external_id = p->>'userId';
  IF NOT FOUND THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'customer not known yet');
  END IF;
  -- resolveEventCustomer would link the Stripe customer or fill the email here.
  IF COALESCE(p->>'stripeCustomerId', '') <> '' AND COALESCE(v_customer.stripe_customer_id, '') = '' THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'Stripe customer to link');
  END IF;
  IF COALESCE(p->>'email', '') <> '' AND COALESCE(v_customer.email, '') = '' THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'email to fill');
  END IF;
  SELECT * INTO v_pack FROM "credit_pack" WHERE key = p->>'packKey';
  IF NOT FOUND OR v_pack.credits <= 0 THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'unknown credit pack');
  END IF;
  IF EXISTS (SELECT 1 FROM "payment" WHERE checkout_session_id = v_session_id)
     OR EXISTS (SELECT 1 FROM "ledger_entry" WHERE idempotency_key = 'grant:' || v_session_id) THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'session recorded already');
  END IF;

  -- The event row is written once, in its final state (no update after the apply).
  INSERT INTO "stripe_event" (id, type, api_version, created, livemode, payload, object_id, status, attempts,
                              processed_at, customer_id, source, received_at, updated_at)
  VALUES (v_event_id, p->>'type', p->>'apiVersion', v_created, (p->>'livemode')::BOOLEAN, p_payload,
          v_session_id, 'processed', 1, v_now, v_customer.id, 'webhook', v_now, v_now)
  ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN jsonb_build_object('status', 'fallback', 'reason', 'event stored concurrently');
  END IF;

  -- The grant applyCheckoutSession makes through grantCredits (same key, reason, lot, reference).
  v_ledger := ledger_post_entry(jsonb_build_object(
    'mode', 'grant',
    'customerId', v_customer.id,
    'credits', v_pack.credits,
    'lot', jsonb_build_object(
      'source', 'pack_purchase',
      'costBasis', 'paid',
      'amountPaid', COALESCE((p->>'amount')::INTEGER, 0),
      'currency', lower(v_currency),
      'stripeReference', v_session_id,
      -- packExpiry: counted from the purchase (the event), not from when it is processed.
      'expiresAt', v_created + make_interval(days => v_pack.expires_after_days)),
    'type', 'purchase',
    'idempotencyKey', 'grant:' || v_session_id,
    'reason', format('Credit pack %s purchased (Checkout %s)', v_pack.key, v_session_id),
    'actorType', 'stripe',
    'actorId', v_event_id,
    'reference', v_session_id,
    'referenceType', 'checkout_session',
    'metadata', NULL,
    'requireActive', false,
    'now', NULL));
  IF v_ledger->>'status' IS DISTINCT FROM 'posted' THEN
    -- Checked above under the locks, so only a grant made outside them gets here: undo it all.
    RAISE EXCEPTION 'stripe_ingest_pack_checkout: the ledger answered % for %', v_ledger->>'status', v_session_id;
  END IF;
  v_credits := (v_ledger->'entry'->>'credits')::INTEGER;

  INSERT INTO "payment" (id, customer_id, kind, catalog_key, checkout_session_id, payment_intent_id, amount, currency,
                         status, lot_id, credits_granted, paid_at, created_at, updated_at)
  VALUES (gen_random_uuid(), v_customer.id, 'pack', v_pack.key, v_session_id, NULLIF(p->>'paymentIntentId', ''),
          COALESCE((p->>'amount')::INTEGER, 0), v_currency, 'paid', (v_ledger->'entry'->>'lot_id')::UUID, v_credits,
          v_created, v_now, v_now);

  v_summary := format('granted %s credits (pack %s) to %s for %s', v_pack.credits, v_pack.key,
                      v_customer.external_id, v_session_id);
  INSERT INTO "event_processing_attempt" (event_id, started_at, outcome, error, summary, duration_ms, actor_id)
  VALUES (v_event_id, v_now, 'processed', NULL, v_summary,
          round(extract(epoch FROM clock_timestamp() - v_started) * 1000)::INTEGER, NULL);
  -- The arrival: verification time so far plus this statement.
  INSERT INTO "webhook_delivery" (event_id, received_at, duplicate, source, outcome, duration_ms)
  VALUES (v_event_id, v_now, false, 'webhook', 'processed',
          v_elapsed + round(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::INTEGER)
  RETURNING id INTO v_delivery;

  RETURN jsonb_build_object('status', 'stored', 'deliveryId', v_delivery::TEXT, 'duplicate', false,
                            'eventStatus', 'processed', 'customerId', v_customer.id, 'summary', v_summary);
END
$function$;
