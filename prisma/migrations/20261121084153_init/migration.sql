-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CustomerStatus" AS ENUM ('active', 'blocked');

-- CreateEnum
CREATE TYPE "BlockAction" AS ENUM ('block', 'unblock');

-- CreateEnum
CREATE TYPE "FeatureType" AS ENUM ('boolean', 'limit');

-- CreateEnum
CREATE TYPE "LotSource" AS ENUM ('pack_purchase', 'subscription_period', 'promo', 'manual');

-- CreateEnum
CREATE TYPE "CostBasis" AS ENUM ('paid', 'free');

-- CreateEnum
CREATE TYPE "LedgerEntryType" AS ENUM ('grant', 'purchase', 'subscription_grant', 'usage', 'reversal', 'expiration', 'refund_clawback', 'refund_restore', 'dispute_freeze', 'dispute_release', 'dispute_clawback', 'manual_adjustment');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('system', 'staff', 'service', 'stripe');

-- CreateEnum
CREATE TYPE "UsageStatus" AS ENUM ('consumed', 'reversed');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('pending', 'paid', 'failed', 'refunded', 'partially_refunded');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('pending_approval', 'rejected', 'pending', 'succeeded', 'failed', 'canceled');

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('received', 'processed', 'ignored', 'deferred', 'failed');

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "role" TEXT,
    "banned" BOOLEAN DEFAULT false,
    "banReason" TEXT,
    "banExpires" TIMESTAMP(3),

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "userId" TEXT NOT NULL,
    "impersonatedBy" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenExpiresAt" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "stripe_customer_id" TEXT,
    "status" "CustomerStatus" NOT NULL DEFAULT 'active',
    "blocked_reason" TEXT,
    "blocked_at" TIMESTAMP(3),
    "plan_key" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "fraud_warning_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_note" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "author_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "block_event" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "action" "BlockAction" NOT NULL,
    "reason" TEXT NOT NULL,
    "actor_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "block_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feature" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" "FeatureType" NOT NULL DEFAULT 'boolean',
    "credit_cost" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "feature_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "plan" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "monthly_credits" INTEGER NOT NULL,
    "rollover" BOOLEAN NOT NULL DEFAULT false,
    "entitlements" JSONB NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "plan_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "credit_pack" (
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "expires_after_days" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "credit_pack_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "catalog_price" (
    "stripe_price_id" TEXT NOT NULL,
    "plan_key" TEXT,
    "pack_key" TEXT,

    CONSTRAINT "catalog_price_pkey" PRIMARY KEY ("stripe_price_id")
);

-- CreateTable
CREATE TABLE "catalog_rules" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "grace_period_days" INTEGER NOT NULL DEFAULT 3,
    "auto_block_disputes" INTEGER NOT NULL DEFAULT 3,
    "auto_block_window_days" INTEGER NOT NULL DEFAULT 180,
    "refund_approval_above" INTEGER NOT NULL DEFAULT 10000,
    "refund_approval_currency" TEXT NOT NULL DEFAULT 'eur',
    "manual_grant_finance_above" INTEGER NOT NULL DEFAULT 1000,
    "refund_policy" TEXT NOT NULL DEFAULT '',
    "cancellation_policy" TEXT NOT NULL DEFAULT '',
    "product_description" TEXT NOT NULL DEFAULT '',
    "radar_block_list" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "catalog_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_lot" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "source" "LotSource" NOT NULL,
    "granted" INTEGER NOT NULL,
    "remaining" INTEGER NOT NULL,
    "expires_at" TIMESTAMP(3),
    "cost_basis" "CostBasis" NOT NULL,
    "amount_paid" INTEGER,
    "currency" TEXT,
    "stripe_reference" TEXT,
    "frozen" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "type" "LedgerEntryType" NOT NULL,
    "credits" INTEGER NOT NULL,
    "lot_id" UUID,
    "reference_type" TEXT,
    "reference" TEXT,
    "actor_type" "ActorType" NOT NULL,
    "actor_id" TEXT,
    "reason" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "balance_after" INTEGER NOT NULL,
    "metadata" JSONB,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_allocation" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" BIGINT NOT NULL,
    "lot_id" UUID NOT NULL,
    "credits" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ledger_allocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "feature" TEXT NOT NULL,
    "credits" INTEGER NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "metadata" JSONB,
    "status" "UsageStatus" NOT NULL DEFAULT 'consumed',
    "entry_id" BIGINT,
    "reversed_at" TIMESTAMP(3),
    "reverse_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_override" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "feature" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "expires_at" TIMESTAMP(3),
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_override_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entitlement_event" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT NOT NULL,
    "reference" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entitlement_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscription" (
    "id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "plan_key" TEXT,
    "stripe_price_id" TEXT,
    "status" TEXT NOT NULL,
    "current_period_start" TIMESTAMP(3),
    "current_period_end" TIMESTAMP(3),
    "cancel_at_period_end" BOOLEAN NOT NULL DEFAULT false,
    "grace_until" TIMESTAMP(3),
    "stripe_event_created" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL,
    "customer_id" UUID,
    "kind" TEXT NOT NULL,
    "catalog_key" TEXT,
    "checkout_session_id" TEXT,
    "payment_intent_id" TEXT,
    "charge_id" TEXT,
    "invoice_id" TEXT,
    "subscription_id" TEXT,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "amount_refunded" INTEGER NOT NULL DEFAULT 0,
    "status" "PaymentStatus" NOT NULL,
    "lot_id" UUID,
    "credits_granted" INTEGER NOT NULL DEFAULT 0,
    "purchase_ip" TEXT,
    "purchase_user_agent" TEXT,
    "paid_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refund" (
    "id" UUID NOT NULL,
    "stripe_refund_id" TEXT,
    "payment_id" UUID,
    "customer_id" UUID,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" "RefundStatus" NOT NULL,
    "origin" TEXT NOT NULL,
    "reason" TEXT,
    "stripe_reason" TEXT,
    "calculation" JSONB,
    "credits_clawed_back" INTEGER NOT NULL DEFAULT 0,
    "requested_by" TEXT,
    "approved_by" TEXT,
    "idempotency_key" TEXT NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dispute" (
    "id" TEXT NOT NULL,
    "charge_id" TEXT NOT NULL,
    "payment_id" UUID,
    "customer_id" UUID,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "evidence_due_by" TIMESTAMP(3),
    "frozen_credits" INTEGER NOT NULL DEFAULT 0,
    "evidence" JSONB,
    "evidence_file_id" TEXT,
    "staged_at" TIMESTAMP(3),
    "submitted_at" TIMESTAMP(3),
    "reminded_at" TIMESTAMP(3),
    "outcome" TEXT,
    "stripe_created" TIMESTAMP(3) NOT NULL,
    "stripe_event_created" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "dispute_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fraud_warning" (
    "id" TEXT NOT NULL,
    "charge_id" TEXT NOT NULL,
    "customer_id" UUID,
    "fraud_type" TEXT NOT NULL,
    "actionable" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "fraud_warning_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_event" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "api_version" TEXT,
    "created" TIMESTAMP(3) NOT NULL,
    "livemode" BOOLEAN NOT NULL,
    "payload" JSONB NOT NULL,
    "object_id" TEXT,
    "customer_id" UUID,
    "status" "EventStatus" NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3),
    "processed_at" TIMESTAMP(3),
    "source" TEXT NOT NULL DEFAULT 'webhook',
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "stripe_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_delivery" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "duplicate" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'webhook',
    "outcome" TEXT NOT NULL,
    "duration_ms" INTEGER,

    CONSTRAINT "webhook_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_processing_attempt" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "error" TEXT,
    "duration_ms" INTEGER,
    "actor_id" TEXT,

    CONSTRAINT "event_processing_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_rejection" (
    "id" BIGSERIAL NOT NULL,
    "reason" TEXT NOT NULL,
    "ip" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_rejection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_run" (
    "id" UUID NOT NULL,
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "events_seen" INTEGER NOT NULL DEFAULT 0,
    "events_ingested" INTEGER NOT NULL DEFAULT 0,
    "findings" JSONB,
    "error" TEXT,

    CONSTRAINT "reconciliation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor_id" TEXT,
    "actor_email" TEXT,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "customer_id" UUID,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "ip" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_userId_idx" ON "session"("userId");

-- CreateIndex
CREATE INDEX "account_userId_idx" ON "account"("userId");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "customer_external_id_key" ON "customer"("external_id");

-- CreateIndex
CREATE UNIQUE INDEX "customer_stripe_customer_id_key" ON "customer"("stripe_customer_id");

-- CreateIndex
CREATE INDEX "customer_email_idx" ON "customer"("email");

-- CreateIndex
CREATE INDEX "customer_name_idx" ON "customer"("name");

-- CreateIndex
CREATE INDEX "customer_note_customer_id_created_at_idx" ON "customer_note"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "block_event_customer_id_created_at_idx" ON "block_event"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "credit_lot_customer_id_remaining_idx" ON "credit_lot"("customer_id", "remaining");

-- CreateIndex
CREATE INDEX "credit_lot_expires_at_idx" ON "credit_lot"("expires_at");

-- CreateIndex
CREATE INDEX "credit_lot_stripe_reference_idx" ON "credit_lot"("stripe_reference");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_idempotency_key_key" ON "ledger_entry"("idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entry_customer_id_id_idx" ON "ledger_entry"("customer_id", "id");

-- CreateIndex
CREATE INDEX "ledger_entry_reference_idx" ON "ledger_entry"("reference");

-- CreateIndex
CREATE INDEX "ledger_entry_created_at_idx" ON "ledger_entry"("created_at");

-- CreateIndex
CREATE INDEX "ledger_allocation_entry_id_idx" ON "ledger_allocation"("entry_id");

-- CreateIndex
CREATE INDEX "ledger_allocation_lot_id_idx" ON "ledger_allocation"("lot_id");

-- CreateIndex
CREATE UNIQUE INDEX "usage_idempotency_key_key" ON "usage"("idempotency_key");

-- CreateIndex
CREATE INDEX "usage_customer_id_created_at_idx" ON "usage"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "customer_override_customer_id_idx" ON "customer_override"("customer_id");

-- CreateIndex
CREATE INDEX "entitlement_event_customer_id_created_at_idx" ON "entitlement_event"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "subscription_customer_id_idx" ON "subscription"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_checkout_session_id_key" ON "payment"("checkout_session_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_payment_intent_id_key" ON "payment"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_charge_id_key" ON "payment"("charge_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_invoice_id_key" ON "payment"("invoice_id");

-- CreateIndex
CREATE INDEX "payment_customer_id_created_at_idx" ON "payment"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_created_at_idx" ON "payment"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "refund_stripe_refund_id_key" ON "refund"("stripe_refund_id");

-- CreateIndex
CREATE UNIQUE INDEX "refund_idempotency_key_key" ON "refund"("idempotency_key");

-- CreateIndex
CREATE INDEX "refund_customer_id_created_at_idx" ON "refund"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "refund_status_idx" ON "refund"("status");

-- CreateIndex
CREATE INDEX "dispute_customer_id_stripe_created_idx" ON "dispute"("customer_id", "stripe_created");

-- CreateIndex
CREATE INDEX "dispute_status_evidence_due_by_idx" ON "dispute"("status", "evidence_due_by");

-- CreateIndex
CREATE INDEX "fraud_warning_customer_id_idx" ON "fraud_warning"("customer_id");

-- CreateIndex
CREATE INDEX "stripe_event_status_next_attempt_at_idx" ON "stripe_event"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "stripe_event_customer_id_created_idx" ON "stripe_event"("customer_id", "created");

-- CreateIndex
CREATE INDEX "stripe_event_object_id_idx" ON "stripe_event"("object_id");

-- CreateIndex
CREATE INDEX "stripe_event_type_created_idx" ON "stripe_event"("type", "created");

-- CreateIndex
CREATE INDEX "stripe_event_created_idx" ON "stripe_event"("created");

-- CreateIndex
CREATE INDEX "webhook_delivery_event_id_idx" ON "webhook_delivery"("event_id");

-- CreateIndex
CREATE INDEX "event_processing_attempt_event_id_idx" ON "event_processing_attempt"("event_id");

-- CreateIndex
CREATE INDEX "webhook_rejection_received_at_idx" ON "webhook_rejection"("received_at");

-- CreateIndex
CREATE INDEX "audit_log_customer_id_created_at_idx" ON "audit_log"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_created_at_idx" ON "audit_log"("actor_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_action_created_at_idx" ON "audit_log"("action", "created_at");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_note" ADD CONSTRAINT "customer_note_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "block_event" ADD CONSTRAINT "block_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog_price" ADD CONSTRAINT "catalog_price_plan_key_fkey" FOREIGN KEY ("plan_key") REFERENCES "plan"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "catalog_price" ADD CONSTRAINT "catalog_price_pack_key_fkey" FOREIGN KEY ("pack_key") REFERENCES "credit_pack"("key") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_lot" ADD CONSTRAINT "credit_lot_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_allocation" ADD CONSTRAINT "ledger_allocation_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "ledger_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_allocation" ADD CONSTRAINT "ledger_allocation_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "credit_lot"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage" ADD CONSTRAINT "usage_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_override" ADD CONSTRAINT "customer_override_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "entitlement_event" ADD CONSTRAINT "entitlement_event_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund" ADD CONSTRAINT "refund_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispute" ADD CONSTRAINT "dispute_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_delivery" ADD CONSTRAINT "webhook_delivery_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "stripe_event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_processing_attempt" ADD CONSTRAINT "event_processing_attempt_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "stripe_event"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Invariants Prisma cannot express: the database is the last line of defence.
ALTER TABLE "customer" ADD CONSTRAINT "customer_balance_non_negative" CHECK ("balance" >= 0);
ALTER TABLE "credit_lot" ADD CONSTRAINT "credit_lot_remaining_in_range" CHECK ("remaining" >= 0 AND "remaining" <= "granted");
ALTER TABLE "credit_lot" ADD CONSTRAINT "credit_lot_granted_non_negative" CHECK ("granted" >= 0);
ALTER TABLE "usage" ADD CONSTRAINT "usage_credits_non_negative" CHECK ("credits" >= 0);
ALTER TABLE "payment" ADD CONSTRAINT "payment_amounts_valid" CHECK ("amount" >= 0 AND "amount_refunded" >= 0 AND "amount_refunded" <= "amount");
ALTER TABLE "refund" ADD CONSTRAINT "refund_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "catalog_rules" ADD CONSTRAINT "catalog_rules_singleton" CHECK ("id" = 1);

-- Ledger rows are append-only. Corrections are new entries, never edits.
-- Single-quoted body: the migration runner splits statements on semicolons outside quotes.
CREATE FUNCTION creditdesk_forbid_change() RETURNS trigger LANGUAGE plpgsql AS
  'BEGIN RAISE EXCEPTION ''% is append-only'', TG_TABLE_NAME; END';
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION creditdesk_forbid_change();
CREATE TRIGGER ledger_allocation_append_only BEFORE UPDATE OR DELETE ON "ledger_allocation"
  FOR EACH ROW EXECUTE FUNCTION creditdesk_forbid_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION creditdesk_forbid_change();
