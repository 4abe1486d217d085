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
              now(), now());
    END IF;
  END IF;
  RETURN NULL;
END
$function$;
