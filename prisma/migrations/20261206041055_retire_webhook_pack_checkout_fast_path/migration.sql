-- The webhook pack-checkout fast path is retired (issue 15): every event, a paid pack checkout
-- included, is stored and applied by the general pipeline in one transaction
-- (process-event.ts storeAndProcessEvent), so "a pack was bought" is written in one place.
DROP FUNCTION IF EXISTS stripe_ingest_pack_checkout(JSONB, JSONB);
