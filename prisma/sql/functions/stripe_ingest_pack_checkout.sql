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
