// The one home of the Prometheus metric definitions. Code that has something to count calls the
// small `metrics` interface below (domain code never sees prom-client nor the HTTP layer); GET
// /metrics (server/http/metrics-route.ts) renders `metricsRegistry` after reading the gauges that
// are collected on scrape (queue sizes from the database, pool use).
//
// Labels are closed sets (route patterns, event types, statuses, refusal codes, job names), never
// raw URLs, ids or emails: each label value is one time series kept forever.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
// Process memory, CPU, event-loop delay, heap: cheap, and what a memory alert needs.
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

const httpRequests = new Counter({
  name: 'creditdesk_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
});

const httpDuration = new Histogram({
  name: 'creditdesk_http_request_duration_seconds',
  help: 'HTTP request latency by method and route pattern',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

const webhookDeliveries = new Counter({
  name: 'creditdesk_stripe_webhook_deliveries_total',
  help: 'Verified Stripe webhook deliveries by event type and the event status after this delivery (duplicate for a repeat)',
  labelNames: ['type', 'status'] as const,
  registers,
});

const webhookRejections = new Counter({
  name: 'creditdesk_stripe_webhook_rejections_total',
  help: 'Stripe webhook calls refused before storage, by reason (bad_signature, stale_timestamp, ...)',
  labelNames: ['reason'] as const,
  registers,
});

const eventAttempts = new Counter({
  name: 'creditdesk_stripe_event_attempts_total',
  help: 'Processing attempts of stored Stripe events (inline, background retry, manual), by type and resulting status',
  labelNames: ['type', 'status'] as const,
  registers,
});

const eventLag = new Histogram({
  name: 'creditdesk_stripe_event_lag_seconds',
  help: "Seconds from the event's creation at Stripe to its effects committed here",
  labelNames: ['type'] as const,
  buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600, 21600, 86400],
  registers,
});

const eventQueue = new Gauge({
  name: 'creditdesk_stripe_events',
  help: 'Stored Stripe events waiting or given up, by status (received = not yet attempted, deferred = retrying, failed = support must act); read on scrape',
  labelNames: ['status'] as const,
  registers,
});

const oldestPending = new Gauge({
  name: 'creditdesk_stripe_event_oldest_pending_seconds',
  help: 'Age of the oldest received-or-deferred Stripe event (0 when none); read on scrape',
  registers,
});

const usageRequests = new Counter({
  name: 'creditdesk_usage_requests_total',
  help: 'Service API usage reports by outcome (charged, replayed, refused, error) and refusal reason',
  labelNames: ['outcome', 'reason'] as const,
  registers,
});

const usageCredits = new Counter({
  name: 'creditdesk_usage_credits_charged_total',
  help: 'Credits drawn from balances by usage reports (replays not counted again)',
  registers,
});

const jobRuns = new Counter({
  name: 'creditdesk_job_runs_total',
  help: 'Background job runs on this process, by job and outcome (ok, failed)',
  labelNames: ['job', 'outcome'] as const,
  registers,
});

const jobDuration = new Histogram({
  name: 'creditdesk_job_duration_seconds',
  help: 'Background job run time by job',
  labelNames: ['job'] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
  registers,
});

const dbPool = new Gauge({
  name: 'creditdesk_db_pool_connections',
  help: "The API's PostgreSQL pool: connections by state (total, idle, waiting = queued queries) and its max; read on scrape",
  labelNames: ['state'] as const,
  registers,
});

export type UsageOutcome =
  | { outcome: 'charged'; credits: number }
  | { outcome: 'replayed' }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'error' };

/** What the rest of the code may count. Each method is one line of bookkeeping and never throws. */
export const metrics = {
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    httpRequests.inc({ method, route, status: String(status) });
    httpDuration.observe({ method, route }, seconds);
  },
  webhookDelivery(type: string, status: string): void {
    webhookDeliveries.inc({ type, status });
  },
  webhookRejected(reason: string): void {
    webhookRejections.inc({ reason });
  },
  /** One processing attempt's result; `created` is Stripe's creation time, for the lag of a processed event. */
  eventAttempt(type: string, status: string, created?: Date): void {
    eventAttempts.inc({ type, status });
    if (status === 'processed' && created)
      eventLag.observe({ type }, Math.max(0, (Date.now() - created.getTime()) / 1000));
  },
  usage(result: UsageOutcome): void {
    if (result.outcome === 'charged') {
      usageRequests.inc({ outcome: 'charged', reason: '' });
      usageCredits.inc(result.credits);
    } else {
      usageRequests.inc({ outcome: result.outcome, reason: result.outcome === 'refused' ? result.reason : '' });
    }
  },
  jobRun(job: string, outcome: 'ok' | 'failed', seconds: number): void {
    jobRuns.inc({ job, outcome });
    jobDuration.observe({ job }, seconds);
  },
};

/** Scrape-time facts, set by the /metrics route just before rendering. */
export const scraped = {
  eventQueue(counts: Record<'received' | 'deferred' | 'failed', number>, oldestPendingSeconds: number): void {
    for (const [status, n] of Object.entries(counts)) eventQueue.set({ status }, n);
    oldestPending.set(oldestPendingSeconds);
  },
  dbPool(pool: { total: number; idle: number; waiting: number; max: number }): void {
    for (const [state, n] of Object.entries(pool)) dbPool.set({ state }, n);
  },
};
