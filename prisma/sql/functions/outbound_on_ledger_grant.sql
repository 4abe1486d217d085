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
