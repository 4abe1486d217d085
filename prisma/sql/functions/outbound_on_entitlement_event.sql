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
