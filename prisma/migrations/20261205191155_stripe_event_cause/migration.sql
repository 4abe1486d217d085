-- AlterTable
ALTER TABLE "stripe_event" ADD COLUMN     "cause" TEXT,
ADD COLUMN     "cause_detail" JSONB;

-- CreateIndex
CREATE INDEX "stripe_event_cause_status_idx" ON "stripe_event"("cause", "status");

-- Backfill: the causes that used to live only in the words of last_error, so verdicts and the
-- price-mapping helper find existing failed and deferred events by code. Other old texts keep a
-- null cause and are shown as they are.
UPDATE "stripe_event"
   SET "cause" = 'unknown_price',
       "cause_detail" = jsonb_build_object('priceId', substring("last_error" FROM 'unknown price (price_[A-Za-z0-9_]+)'))
 WHERE "last_error" ~ 'unknown price price_[A-Za-z0-9_]+';

UPDATE "stripe_event"
   SET "cause" = 'price_not_a_pack',
       "cause_detail" = jsonb_build_object('priceId', substring("last_error" FROM '^price (price_[A-Za-z0-9_]+) is a plan price'))
 WHERE "cause" IS NULL AND "last_error" ~ '^price price_[A-Za-z0-9_]+ is a plan price';

UPDATE "stripe_event"
   SET "cause" = 'price_not_a_plan',
       "cause_detail" = jsonb_build_object('priceId', substring("last_error" FROM '^price (price_[A-Za-z0-9_]+) is a credit pack price'))
 WHERE "cause" IS NULL AND "last_error" ~ '^price price_[A-Za-z0-9_]+ is a credit pack price';

UPDATE "stripe_event"
   SET "cause" = 'customer_unknown', "cause_detail" = '{}'::jsonb
 WHERE "cause" IS NULL AND "last_error" = 'no customer';

UPDATE "stripe_event"
   SET "cause" = 'subscription_not_seen_yet',
       "cause_detail" = jsonb_build_object('subscriptionId', substring("last_error" FROM '^subscription (sub_[A-Za-z0-9_]+) not seen yet'))
 WHERE "cause" IS NULL AND "last_error" ~ '^subscription sub_[A-Za-z0-9_]+ not seen yet';
