CREATE OR REPLACE FUNCTION public.ledger_entry_result(p_status text, p_entry ledger_entry)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
AS $function$
  SELECT jsonb_build_object(
    'status', p_status,
    -- ids as text: bigint does not survive JSON numbers past 2^53.
    'entry', to_jsonb(p_entry) || jsonb_build_object('id', p_entry.id::text),
    'allocations', COALESCE((
      SELECT jsonb_agg(to_jsonb(a) || jsonb_build_object('id', a.id::text, 'entry_id', a.entry_id::text) ORDER BY a.position)
      FROM "ledger_allocation" a WHERE a.entry_id = p_entry.id), '[]'::jsonb),
    'lot', (SELECT to_jsonb(l) FROM "credit_lot" l WHERE l.id = p_entry.lot_id))
$function$;
