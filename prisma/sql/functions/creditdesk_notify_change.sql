CREATE OR REPLACE FUNCTION public.creditdesk_notify_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  PERFORM pg_notify('creditdesk_changes', TG_ARGV[0]);
  RETURN NULL;
END
$function$;
