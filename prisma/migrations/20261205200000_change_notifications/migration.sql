-- Change notifications for the per-process caches (server/db/change-feed.ts): every server process
-- LISTENs on "creditdesk_changes" and drops what it holds of a topic when the topic is named.
-- Triggers rather than calls in the code, so every writer (any process, a script, psql) is seen.
-- NOTIFY is delivered at commit, once per distinct payload per transaction.
CREATE OR REPLACE FUNCTION creditdesk_notify_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('creditdesk_changes', TG_ARGV[0]);
  RETURN NULL;
END
$fn$;

-- The catalog: plans, features, packs, prices and rules.
CREATE TRIGGER feature_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "feature"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('catalog');
CREATE TRIGGER plan_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "plan"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('catalog');
CREATE TRIGGER credit_pack_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "credit_pack"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('catalog');
CREATE TRIGGER catalog_price_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "catalog_price"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('catalog');
CREATE TRIGGER catalog_rules_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "catalog_rules"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('catalog');

-- API keys: creation, revocation, deletion. The batched last_used_at writes do not notify
-- (UPDATE OF lists the columns that matter).
CREATE TRIGGER api_key_changes AFTER INSERT OR DELETE OR UPDATE OF hash, revoked_at OR TRUNCATE ON "api_key"
  FOR EACH STATEMENT EXECUTE FUNCTION creditdesk_notify_change('api_key');
