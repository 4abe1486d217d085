CREATE OR REPLACE FUNCTION public.ledger_guard_projection()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- customer.balance and credit_lot.remaining are projections of the ledger: only
  -- ledger_post_entry changes them (it turns creditdesk.ledger_write on for its own updates and
  -- off again before it returns), so a direct UPDATE cannot make them disagree with the entries.
  IF current_setting('creditdesk.ledger_write', true) IS DISTINCT FROM 'on' THEN
    RAISE EXCEPTION '% of % changes only through ledger_post_entry (the ledger''s write path)',
      CASE TG_TABLE_NAME WHEN 'customer' THEN 'balance' ELSE 'remaining' END, TG_TABLE_NAME
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$function$;
