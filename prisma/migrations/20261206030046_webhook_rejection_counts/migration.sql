-- Refused webhook requests become counters per UTC hour and reason instead of one row each.

-- CreateTable
CREATE TABLE "webhook_rejection_count" (
    "hour" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "first_at" TIMESTAMP(3) NOT NULL,
    "last_at" TIMESTAMP(3) NOT NULL,
    "last_ip" TEXT,

    CONSTRAINT "webhook_rejection_count_pkey" PRIMARY KEY ("hour","reason")
);

-- Keep the history already recorded (the last 30 days, the counters' retention), folded into counters.
INSERT INTO "webhook_rejection_count" ("hour", "reason", "count", "first_at", "last_at", "last_ip")
SELECT date_trunc('hour', "received_at"), "reason", count(*)::int, min("received_at"), max("received_at"),
       (array_agg("ip" ORDER BY "id" DESC))[1]
FROM "webhook_rejection"
WHERE "received_at" > now() - interval '30 days'
GROUP BY 1, 2;

-- DropTable
DROP TABLE "webhook_rejection";
