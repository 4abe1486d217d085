-- DropIndex
DROP INDEX "customer_email_idx";

-- DropIndex
DROP INDEX "customer_name_idx";

-- CreateIndex
CREATE INDEX "audit_log_target_id_idx" ON "audit_log"("target_id");

-- CreateIndex
CREATE INDEX "customer_email_idx" ON "customer"("email" text_pattern_ops);

-- CreateIndex
CREATE INDEX "customer_name_idx" ON "customer"("name" text_pattern_ops);

-- CreateIndex
CREATE INDEX "customer_created_at_id_idx" ON "customer"("created_at", "id");

-- CreateIndex
CREATE INDEX "dispute_charge_id_idx" ON "dispute"("charge_id");

-- CreateIndex
CREATE INDEX "ledger_entry_customer_id_type_created_at_id_idx" ON "ledger_entry"("customer_id", "type", "created_at", "id");
