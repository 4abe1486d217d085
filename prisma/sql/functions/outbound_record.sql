CREATE OR REPLACE FUNCTION public.outbound_record(p_type text, p_version integer, p_customer uuid, p_payload jsonb, p_source_key text, p_endpoint uuid DEFAULT NULL::uuid)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_id TEXT := 'evt_cd_' || replace(gen_random_uuid()::TEXT, '-', '');
BEGIN
  INSERT INTO "outbound_event" (id, type, version, customer_id, payload, source_key, endpoint_id, created_at)
  VALUES (v_id, p_type, p_version, p_customer, p_payload, p_source_key, p_endpoint, clock_timestamp())
  ON CONFLICT (source_key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT id INTO v_id FROM "outbound_event" WHERE source_key = p_source_key;
  END IF;
  RETURN v_id;
END
$function$;
