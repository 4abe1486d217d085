-- CreateEnum
CREATE TYPE "OutboundDeliveryStatus" AS ENUM ('pending', 'sending', 'retrying', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "AutoTopupStatus" AS ENUM ('pending', 'processing', 'succeeded', 'failed', 'capped', 'skipped');

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "low_balance_threshold" INTEGER;

-- AlterTable
ALTER TABLE "plan" ADD COLUMN     "auto_topup_monthly_cap" INTEGER,
ADD COLUMN     "auto_topup_pack_key" TEXT,
ADD COLUMN     "auto_topup_threshold" INTEGER,
ADD COLUMN     "low_balance_threshold" INTEGER;

-- CreateTable
CREATE TABLE "outbound_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "customer_id" UUID,
    "payload" JSONB NOT NULL,
    "source_key" TEXT,
    "endpoint_id" UUID,
    "fanned_out_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_endpoint" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "event_types" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "secret" TEXT NOT NULL,
    "failing_since" TIMESTAMP(3),
    "disabled_at" TIMESTAMP(3),
    "disabled_reason" TEXT,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outbound_endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_delivery" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" TEXT NOT NULL,
    "status" "OutboundDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "manual" BOOLEAN NOT NULL DEFAULT false,
    "response_code" INTEGER,
    "duration_ms" INTEGER,
    "response_excerpt" TEXT,
    "error" TEXT,
    "next_attempt_at" TIMESTAMP(3),
    "locked_until" TIMESTAMP(3),
    "first_attempt_at" TIMESTAMP(3),
    "last_attempt_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auto_topup_setting" (
    "customer_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "threshold_credits" INTEGER,
    "pack_key" TEXT,
    "monthly_cap" INTEGER,
    "payment_method_id" TEXT,
    "paused_at" TIMESTAMP(3),
    "paused_reason" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_topup_setting_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "auto_topup" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "status" "AutoTopupStatus" NOT NULL DEFAULT 'pending',
    "pack_key" TEXT NOT NULL,
    "credits" INTEGER,
    "amount" INTEGER,
    "currency" TEXT,
    "payment_intent_id" TEXT,
    "balance_before" INTEGER NOT NULL,
    "balance_after" INTEGER NOT NULL,
    "threshold" INTEGER NOT NULL,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_topup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbound_event_source_key_key" ON "outbound_event"("source_key");

-- CreateIndex
CREATE INDEX "outbound_event_fanned_out_at_created_at_idx" ON "outbound_event"("fanned_out_at", "created_at");

-- CreateIndex
CREATE INDEX "outbound_event_customer_id_created_at_idx" ON "outbound_event"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_delivery_status_next_attempt_at_idx" ON "outbound_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbound_delivery_endpoint_id_created_at_idx" ON "outbound_delivery"("endpoint_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_delivery_event_id_idx" ON "outbound_delivery"("event_id");

-- CreateIndex
CREATE UNIQUE INDEX "auto_topup_payment_intent_id_key" ON "auto_topup"("payment_intent_id");

-- CreateIndex
CREATE INDEX "auto_topup_status_created_at_idx" ON "auto_topup"("status", "created_at");

-- CreateIndex
CREATE INDEX "auto_topup_customer_id_created_at_idx" ON "auto_topup"("customer_id", "created_at");

-- AddForeignKey
ALTER TABLE "outbound_delivery" ADD CONSTRAINT "outbound_delivery_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "outbound_endpoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_delivery" ADD CONSTRAINT "outbound_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "outbound_event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------- outbox writer and triggers
-- outbound_record is the one writer of outbound_event: triggers below and recordOutboundEvent
-- (server/modules/outbound/record-outbound-event.ts) both call it, inside the transaction of the
-- change, so a rolled-back change leaves no event and a committed one always has it. A repeated
-- source key returns the first event's id and writes nothing.
CREATE OR REPLACE FUNCTION outbound_record(p_type TEXT, p_version INTEGER, p_customer UUID, p_payload JSONB,
                                           p_source_key TEXT, p_endpoint UUID DEFAULT NULL)
RETURNS TEXT LANGUAGE plpgsql AS $fn$
DECLARE
  v_id TEXT := 'evt_cd_' || replace(gen_random_uuid()::TEXT, '-', '');
BEGIN
  INSERT INTO "outbound_event" (id, type, version, customer_id, payload, source_key, endpoint_id, created_at)
  VALUES (v_id, p_type, p_version, p_customer, p_payload, p_source_key, p_endpoint, clock_timestamp() AT TIME ZONE 'UTC')
  ON CONFLICT (source_key) DO NOTHING;
  IF NOT FOUND THEN
    SELECT id INTO v_id FROM "outbound_event" WHERE source_key = p_source_key;
  END IF;
  RETURN v_id;
END
$fn$;

-- credits.granted: every entry that adds credits to a customer (grants, purchases, subscription
-- credits, positive manual adjustments). Fires only for those types (WHEN), so usage pays nothing.
CREATE OR REPLACE FUNCTION outbound_on_ledger_grant() RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM outbound_record('credits.granted', 1, NEW.customer_id, jsonb_build_object(
    'externalId', (SELECT external_id FROM "customer" WHERE id = NEW.customer_id),
    'entryId', NEW.id::TEXT, 'entryType', NEW.type::TEXT, 'credits', NEW.credits,
    'balance', NEW.balance_after, 'lotId', NEW.lot_id, 'reason', NEW.reason, 'reference', NEW.reference),
    'credits.granted:' || NEW.id::TEXT);
  RETURN NULL;
END
$fn$;
CREATE TRIGGER outbound_ledger_grant AFTER INSERT ON "ledger_entry" FOR EACH ROW
  WHEN (NEW.type IN ('grant', 'purchase', 'subscription_grant')
        OR (NEW.type = 'manual_adjustment' AND NEW.credits > 0))
  EXECUTE FUNCTION outbound_on_ledger_grant();

-- A balance that went down: credits.low (crossed the customer's or plan's threshold), credits.depleted
-- (reached 0), and an auto top-up request when the top-up threshold was crossed. Before/after come
-- from the one UPDATE ledger_post_entry makes under the customer row lock, so each crossing is
-- seen by exactly one transaction however many consumes race. Fires only on decreases (WHEN).
CREATE OR REPLACE FUNCTION outbound_on_balance_drop() RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
DECLARE
  v_plan "plan"%ROWTYPE;
  v_plan_loaded BOOLEAN := FALSE;
  v_threshold INTEGER := NEW.low_balance_threshold;
  v_setting "auto_topup_setting"%ROWTYPE;
  v_topup_threshold INTEGER;
  v_pack TEXT;
  v_payload JSONB;
BEGIN
  IF v_threshold IS NULL THEN
    SELECT * INTO v_plan FROM "plan" WHERE key = NEW.plan_key OR (NEW.plan_key IS NULL AND is_default) LIMIT 1;
    v_plan_loaded := TRUE;
    v_threshold := v_plan.low_balance_threshold;
  END IF;
  v_payload := jsonb_build_object('externalId', NEW.external_id, 'balanceBefore', OLD.balance, 'balance', NEW.balance);
  IF v_threshold IS NOT NULL AND OLD.balance >= v_threshold AND NEW.balance < v_threshold THEN
    PERFORM outbound_record('credits.low', 1, NEW.id, v_payload || jsonb_build_object('threshold', v_threshold), NULL);
  END IF;
  IF OLD.balance > 0 AND NEW.balance <= 0 THEN
    PERFORM outbound_record('credits.depleted', 1, NEW.id, v_payload, NULL);
  END IF;

  SELECT * INTO v_setting FROM "auto_topup_setting" WHERE customer_id = NEW.id;
  IF FOUND AND v_setting.enabled AND v_setting.paused_at IS NULL THEN
    IF NOT v_plan_loaded THEN
      SELECT * INTO v_plan FROM "plan" WHERE key = NEW.plan_key OR (NEW.plan_key IS NULL AND is_default) LIMIT 1;
    END IF;
    v_topup_threshold := COALESCE(v_setting.threshold_credits, v_plan.auto_topup_threshold);
    v_pack := COALESCE(v_setting.pack_key, v_plan.auto_topup_pack_key);
    IF v_topup_threshold IS NOT NULL AND v_pack IS NOT NULL
       AND OLD.balance >= v_topup_threshold AND NEW.balance < v_topup_threshold
       AND NOT EXISTS (SELECT 1 FROM "auto_topup" WHERE customer_id = NEW.id AND status IN ('pending', 'processing')) THEN
      INSERT INTO "auto_topup" (id, customer_id, status, pack_key, balance_before, balance_after, threshold, created_at, updated_at)
      VALUES (gen_random_uuid(), NEW.id, 'pending', v_pack, OLD.balance, NEW.balance, v_topup_threshold,
              now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC');
    END IF;
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER outbound_balance_drop AFTER UPDATE OF balance ON "customer" FOR EACH ROW
  WHEN (NEW.balance < OLD.balance)
  EXECUTE FUNCTION outbound_on_balance_drop();

-- entitlements.changed for every entitlement event (plan change, override, block/unblock), with the
-- new entitlement set; customer.blocked / customer.unblocked besides for blocks.
CREATE OR REPLACE FUNCTION outbound_on_entitlement_event() RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
DECLARE
  v_external TEXT := (SELECT external_id FROM "customer" WHERE id = NEW.customer_id);
BEGIN
  PERFORM outbound_record('entitlements.changed', 1, NEW.customer_id, jsonb_build_object(
    'externalId', v_external, 'kind', NEW.kind, 'reason', NEW.reason, 'reference', NEW.reference,
    'planKey', NEW.after->'planKey', 'status', NEW.after->'status',
    'entitlements', COALESCE(NEW.after->'entitlements', '{}'::JSONB),
    'previous', COALESCE(NEW.before->'entitlements', '{}'::JSONB)),
    'entitlements.changed:' || NEW.id::TEXT);
  IF NEW.kind IN ('blocked', 'unblocked') THEN
    PERFORM outbound_record('customer.' || NEW.kind, 1, NEW.customer_id, jsonb_build_object(
      'externalId', v_external, 'reason', NEW.reason, 'blockEventId', NEW.reference),
      'customer.' || NEW.kind || ':' || NEW.id::TEXT);
  END IF;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER outbound_entitlement_event AFTER INSERT ON "entitlement_event" FOR EACH ROW
  EXECUTE FUNCTION outbound_on_entitlement_event();
