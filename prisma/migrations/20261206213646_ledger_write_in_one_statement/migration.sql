-- ledger_post_entry writes the entry, its allocations, the lots' remaining and the balance in one
-- statement (one executor run instead of five per consume), turns the projection guard's flag on
-- and off with plain assignments instead of queries, and keeps its plans generic, so a consume
-- no longer plans its writes on every call (issue 15).

-- prisma/sql/functions/ledger_post_entry.sql
CREATE OR REPLACE FUNCTION public.ledger_post_entry(p jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- force_generic_plan: each statement here is planned once per session. Its parameters are arrays
-- and ids, whose custom plans estimate lower but are the same index scans, so the default mode
-- would plan the write statement (and the lot update) again on every call.
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
  v_entry_json JSONB;
  v_guard TEXT;
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

  -- The entry, its allocations, the lots' remaining and the balance in one statement: one executor
  -- run instead of five on the path of every consume. Each part hangs on e, so when another
  -- customer's transaction committed this key while we waited on the unique index (ON CONFLICT),
  -- nothing is written. ledger_guard_projection lets remaining and balance change only while
  -- creditdesk.ledger_write is on: turned on (a plain assignment, no query) just for this statement.
  v_guard := set_config('creditdesk.ledger_write', 'on', true);
  WITH e AS (
         INSERT INTO "ledger_entry" (customer_id, type, credits, lot_id, reference_type, reference, actor_type,
                                     actor_id, reason, idempotency_key, balance_after, metadata, created_at)
         VALUES (v_customer, (p->>'type')::"LedgerEntryType", v_delta, v_entry_lot, p->>'referenceType',
                 p->>'reference', (p->>'actorType')::"ActorType", p->>'actorId', p->>'reason', v_key,
                 v_balance + v_delta, NULLIF(p->'metadata', 'null'::JSONB), now())
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING *),
       ins AS (
         INSERT INTO "ledger_allocation" (entry_id, lot_id, credits, position)
         SELECT e.id, a.lot_id, a.delta, a.ord - 1
           FROM e, unnest(v_lot_ids, v_deltas) WITH ORDINALITY AS a(lot_id, delta, ord)
         RETURNING *),
       lots AS (
         -- By primary key, each lot once with the sum of its changes (a plan that is planned once).
         UPDATE "credit_lot" l
            SET remaining = l.remaining + (SELECT sum(a.delta) FROM unnest(v_lot_ids, v_deltas) AS a(lot_id, delta)
                                            WHERE a.lot_id = l.id)
          WHERE l.id = ANY(v_lot_ids) AND EXISTS (SELECT 1 FROM e)),
       balance AS (
         UPDATE "customer" SET balance = v_balance + v_delta, updated_at = now()
          WHERE id = v_customer AND v_delta <> 0 AND EXISTS (SELECT 1 FROM e))
  SELECT to_jsonb(e) || jsonb_build_object('id', e.id::text),
         (SELECT jsonb_agg(to_jsonb(ins) || jsonb_build_object('id', ins.id::text, 'entry_id', ins.entry_id::text)
                           ORDER BY ins.position) FROM ins)
    INTO v_entry_json, v_allocations
    FROM e;
  IF NOT FOUND THEN
    v_guard := set_config('creditdesk.ledger_write', 'off', true);
    DELETE FROM "credit_lot" WHERE v_mode = 'grant' AND id = v_entry_lot;
    SELECT * INTO v_entry FROM "ledger_entry" WHERE idempotency_key = v_key;
    RETURN ledger_entry_result('replayed', v_entry);
  END IF;
  v_guard := set_config('creditdesk.ledger_write', 'off', true);

  IF v_mode IN ('freeze', 'release') THEN
    UPDATE "credit_lot" SET frozen = (v_mode = 'freeze') WHERE id = v_entry_lot;
  END IF;

  -- Only a balance that ends below its highest threshold (0 for credits.depleted) can have
  -- crossed one: every other consume skips the outbound checks entirely.
  IF v_delta < 0 AND v_balance + v_delta < GREATEST(v_low, v_topup, 1) THEN
    PERFORM outbound_on_balance_drop(v_customer, v_external_id, v_balance, v_balance + v_delta, v_low, v_topup, v_pack);
  END IF;

  IF v_entry_lot IS NULL THEN
    -- A draw across lots: a plain expression, no query.
    RETURN jsonb_build_object('status', 'posted', 'entry', v_entry_json,
                              'allocations', COALESCE(v_allocations, '[]'::jsonb), 'lot', NULL);
  END IF;
  RETURN jsonb_build_object('status', 'posted', 'entry', v_entry_json,
    'allocations', COALESCE(v_allocations, '[]'::jsonb),
    'lot', (SELECT to_jsonb(l) FROM "credit_lot" l WHERE l.id = v_entry_lot));
END
$function$;
