-- Wake the background jobs when there is work, instead of each server queueing them every 2 s
-- (server/jobs/runner.ts). Every server process hears the notice on "creditdesk_changes"
-- (server/db/change-feed.ts) and wakes the job through pg-boss, debounced across processes
-- (server/jobs/wake.ts). Triggers on the tables themselves, so every writer is seen (the ledger and
-- entitlement triggers, recordOutboundEvent, the balance trigger's auto_topup insert) without
-- touching those functions. NOTIFY is sent at commit, once per distinct payload per transaction.

-- outbound-dispatch: a new outbox row; a delivery staff queued by hand (resend; the job's own
-- fan-out inserts non-manual rows and needs no wake); an endpoint enabled again, whose waiting
-- deliveries become due.
CREATE TRIGGER outbound_event_wake AFTER INSERT ON "outbound_event"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('outbound');
CREATE TRIGGER outbound_delivery_wake AFTER INSERT ON "outbound_delivery"
  FOR EACH ROW WHEN (NEW.manual) EXECUTE FUNCTION creditdesk_notify_change('outbound');
CREATE TRIGGER outbound_endpoint_wake AFTER UPDATE OF enabled ON "outbound_endpoint"
  FOR EACH ROW WHEN (NEW.enabled AND NOT OLD.enabled) EXECUTE FUNCTION creditdesk_notify_change('outbound');

-- auto-topup: a threshold crossing wrote a pending top-up.
CREATE TRIGGER auto_topup_wake AFTER INSERT ON "auto_topup"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('auto_topup');
