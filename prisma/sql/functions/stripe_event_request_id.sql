CREATE OR REPLACE FUNCTION public.stripe_event_request_id()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  NEW.request_id := NULLIF(current_setting('creditdesk.request_id', true), '');
  RETURN NEW;
END
$function$;
