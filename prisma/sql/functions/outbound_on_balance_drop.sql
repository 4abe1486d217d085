CREATE OR REPLACE FUNCTION public.outbound_on_balance_drop(p_customer uuid, p_external_id text, p_before integer, p_after integer, p_low integer, p_topup integer, p_pack text)
 RETURNS void
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_payload JSONB := jsonb_build_object('externalId', p_external_id, 'balanceBefore', p_before, 'balance', p_after);
BEGIN
  -- Called by ledger_post_entry, under the customer row lock, when a balance went down past the
  -- highest of its thresholds (p_low: credits.low; p_topup/p_pack: auto top-up, null unless enabled
  -- and not paused; 0: credits.depleted), so each crossing is seen by exactly one transaction.
  IF p_low IS NOT NULL AND p_before >= p_low AND p_after < p_low THEN
    PERFORM outbound_record('credits.low', 1, p_customer, v_payload || jsonb_build_object('threshold', p_low), NULL);
  END IF;
  IF p_before > 0 AND p_after <= 0 THEN
    PERFORM outbound_record('credits.depleted', 1, p_customer, v_payload, NULL);
  END IF;
  IF p_topup IS NOT NULL AND p_pack IS NOT NULL AND p_before >= p_topup AND p_after < p_topup
     AND NOT EXISTS (SELECT 1 FROM "auto_topup" WHERE customer_id = p_customer AND status IN ('pending', 'processing')) THEN
    INSERT INTO "auto_topup" (id, customer_id, status, pack_key, balance_before, balance_after, threshold, created_at, updated_at)
    VALUES (gen_random_uuid(), p_customer, 'pending', p_pack, p_before, p_after, p_topup,
            now(), now());
  END IF;
END
$function$;
