-- AlterTable
ALTER TABLE "stripe_event" ADD COLUMN     "request_id" TEXT;

-- The webhook fast path stores an event inside stripe_ingest_pack_checkout(); rather than change
-- that function's arguments, its caller sets creditdesk.request_id for the one statement's
-- transaction (set_config(..., true)) and this trigger copies it onto a row inserted without one.
-- Outside such a statement the setting is unset or '' and the column stays NULL.
CREATE OR REPLACE FUNCTION stripe_event_request_id() RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.request_id := NULLIF(current_setting('creditdesk.request_id', true), '');
  RETURN NEW;
END
$fn$;

CREATE TRIGGER stripe_event_request_id BEFORE INSERT ON "stripe_event"
  FOR EACH ROW WHEN (NEW.request_id IS NULL) EXECUTE FUNCTION stripe_event_request_id();
