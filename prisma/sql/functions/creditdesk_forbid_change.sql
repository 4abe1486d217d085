CREATE OR REPLACE FUNCTION public.creditdesk_forbid_change()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END$function$;
