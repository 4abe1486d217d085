// Webhook delivery like Stripe's: one delivery per (event, enabled endpoint), signed with the
// endpoint's secret(s), retried with backoff until a 2xx or the schedule runs out, every attempt
// recorded. Waiting uses the emulator clock, so tests compress hours into milliseconds.
import type { Clock } from '../clock.ts';
import type { EmulatorConfig } from '../config.ts';
import { newId } from '../ids.ts';
import type { StoredEvent, Store } from '../store.ts';
import type { Faults, WebhookFault } from './faults.ts';
import type { Delivery, DeliveryAttempt } from './delivery.ts';
import { sendWebhook } from './send.ts';

interface Job {
  delivery: Delivery;
  first: boolean;
  duplicate: boolean;
  manual: boolean;
}

interface EndpointQueue {
  ready: Job[];
  held: Job[];
  inFlight: number;
  cancelHold: (() => void) | null;
}

function sum(faults: WebhookFault[], key: 'drop_first' | 'duplicate' | 'respond_slowly'): number {
  return faults.reduce((n, f) => n + (f[key] ?? 0), 0);
}

export class Deliverer {
  private readonly deliveries = new Map<string, Delivery>();
  private readonly queues = new Map<string, EndpointQueue>();
  private readonly scheduled = new Map<string, { cancel: () => void; job: Job }>();
  private waiters: Array<() => void> = [];
  /** Attempts whose request is on the wire, across resets (clear() forgets their queues). */
  private inFlight = 0;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly faults: Faults,
    private readonly config: EmulatorConfig,
  ) {}

  /** Creates the deliveries for a new event and starts (or schedules) their first attempts. */
  enqueue(event: StoredEvent): void {
    const endpoints = this.store
      .all('webhook_endpoint')
      .filter((e) => e.status === 'enabled')
      .filter((e) => e.enabled_events.includes('*') || e.enabled_events.includes(event.type));
    event.pending_webhooks = endpoints.length;
    for (const endpoint of endpoints) {
      const delivery: Delivery = {
        id: newId('whdel'),
        object: 'webhook_delivery',
        event: event.id,
        event_type: event.type,
        endpoint: endpoint.id,
        url: endpoint.url,
        status: 'pending',
        attempts: [],
        next_attempt_at: null,
        created: this.clock.now(),
      };
      this.deliveries.set(delivery.id, delivery);
      const faults = this.faults.forDelivery(endpoint.id, event);
      if (faults.some((f) => f.suppress)) {
        delivery.status = 'suppressed';
        continue;
      }
      const delay = Math.max(0, ...faults.map((f) => f.delay_seconds ?? 0));
      this.schedule({ delivery, first: true, duplicate: false, manual: false }, delay);
    }
  }

  list(filter: { event?: string; endpoint?: string; status?: string; type?: string } = {}): Delivery[] {
    return [...this.deliveries.values()]
      .filter((d) => !filter.event || d.event === filter.event)
      .filter((d) => !filter.endpoint || d.endpoint === filter.endpoint)
      .filter((d) => !filter.status || d.status === filter.status)
      .filter((d) => !filter.type || d.event_type === filter.type)
      .reverse();
  }

  get(id: string): Delivery | undefined {
    return this.deliveries.get(id);
  }

  /** Sends the event again now (the Dashboard's "Resend"), to one endpoint or all. */
  resend(eventId: string, endpointId?: string): Delivery[] {
    const targets = [...this.deliveries.values()].filter(
      (d) => d.event === eventId && (!endpointId || d.endpoint === endpointId),
    );
    for (const d of targets) {
      const s = this.scheduled.get(d.id);
      if (s) {
        s.cancel();
        this.scheduled.delete(d.id);
      }
      if (d.status !== 'succeeded') d.status = 'pending';
      d.next_attempt_at = null;
      this.ready({ delivery: d, first: false, duplicate: false, manual: true });
    }
    return targets;
  }

  /** Runs every scheduled retry and held (reordered) event now, instead of after its backoff. */
  flush(): number {
    let n = 0;
    // Snapshot first: an attempt that fails synchronously (an injected fault) schedules its next
    // retry right away, and that one must wait for the next flush.
    const due = [...this.scheduled];
    for (const [id, s] of due) {
      s.cancel();
      this.scheduled.delete(id);
      s.job.delivery.next_attempt_at = null;
      this.ready(s.job, true);
      n++;
    }
    for (const endpoint of this.queues.keys()) n += this.releaseHeld(endpoint);
    return n;
  }

  isIdle(includeScheduled: boolean): boolean {
    if (this.inFlight) return false;
    for (const q of this.queues.values()) {
      if (q.ready.length || q.inFlight || q.held.length) return false;
    }
    return !includeScheduled || this.scheduled.size === 0;
  }

  /** Resolves once nothing is sending (and, with includeScheduled, nothing is waiting to retry). */
  waitForIdle(includeScheduled = false, timeoutMs = 15_000): Promise<boolean> {
    if (this.isIdle(includeScheduled)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(false);
      }, timeoutMs);
      const check = (): void => {
        if (!this.isIdle(includeScheduled)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(true);
      };
      this.waiters.push(check);
    });
  }

  /** Deliveries for persistence (oldest first). */
  snapshot(): Delivery[] {
    return [...this.deliveries.values()];
  }

  /**
   * Restores saved deliveries. Pending ones continue where they stopped: the next attempt keeps
   * its time (or runs now if it is overdue), as Stripe keeps retrying while we were away.
   */
  restore(saved: Delivery[]): void {
    for (const d of saved) {
      this.deliveries.set(d.id, d);
      if (d.status !== 'pending') continue;
      const dueInMs = Math.max(0, (d.next_attempt_at ?? 0) - Date.now());
      const seconds = this.clock.timeScale > 0 ? dueInMs / 1000 / this.clock.timeScale : 0;
      this.schedule({ delivery: d, first: d.attempts.length === 0, duplicate: false, manual: false }, seconds);
    }
  }

  clear(): void {
    for (const s of this.scheduled.values()) s.cancel();
    this.scheduled.clear();
    for (const q of this.queues.values()) q.cancelHold?.();
    this.queues.clear();
    this.deliveries.clear();
    this.notify();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private queue(endpoint: string): EndpointQueue {
    let q = this.queues.get(endpoint);
    if (!q) {
      q = { ready: [], held: [], inFlight: 0, cancelHold: null };
      this.queues.set(endpoint, q);
    }
    return q;
  }

  private schedule(job: Job, seconds: number): void {
    if (seconds <= 0) {
      this.ready(job);
      return;
    }
    job.delivery.next_attempt_at = Date.now() + this.clock.realMs(seconds);
    const cancel = this.clock.after(seconds, () => {
      this.scheduled.delete(job.delivery.id);
      job.delivery.next_attempt_at = null;
      this.ready(job);
    });
    this.scheduled.set(job.delivery.id, { cancel, job });
  }

  private ready(job: Job, bypassReorder = false): void {
    if (this.stopped) return;
    const q = this.queue(job.delivery.endpoint);
    const reorder = this.faults.reorderFor(job.delivery.endpoint);
    if (!bypassReorder && job.first && !job.duplicate && reorder.count > 1) {
      q.held.push(job);
      if (q.held.length >= reorder.count) this.releaseHeld(job.delivery.endpoint);
      else if (!q.cancelHold) {
        q.cancelHold = this.clock.after(reorder.windowSeconds, () => {
          q.cancelHold = null;
          this.releaseHeld(job.delivery.endpoint);
        });
      }
      return;
    }
    q.ready.push(job);
    this.pump(job.delivery.endpoint);
  }

  private releaseHeld(endpoint: string): number {
    const q = this.queue(endpoint);
    q.cancelHold?.();
    q.cancelHold = null;
    const held = q.held.splice(0).reverse();
    q.ready.push(...held);
    this.pump(endpoint);
    return held.length;
  }

  private pump(endpoint: string): void {
    const q = this.queue(endpoint);
    while (q.inFlight < this.config.deliveryConcurrency && q.ready.length) {
      const job = q.ready.shift() as Job;
      q.inFlight++;
      this.inFlight++;
      void this.attempt(job)
        .catch((err: unknown) => this.config.log.error({ err }, 'stripe emulator: delivery attempt crashed'))
        .finally(() => {
          q.inFlight--;
          this.inFlight--;
          this.pump(endpoint);
          this.notify();
        });
    }
    this.notify();
  }

  private async attempt(job: Job): Promise<void> {
    const { delivery } = job;
    const endpoint = this.store.get('webhook_endpoint', delivery.endpoint);
    const event = this.store.get('event', delivery.event);
    if (!endpoint || !event) {
      delivery.status = 'failed';
      return;
    }
    const faults = this.faults.forDelivery(endpoint.id, event);
    const number = job.duplicate
      ? delivery.attempts.filter((a) => !a.duplicate).length
      : delivery.attempts.filter((a) => !a.duplicate).length + 1;
    const base = {
      number,
      started_at: Date.now(),
      duplicate: job.duplicate,
      manual: job.manual,
    };

    if (!job.duplicate && !job.manual) {
      if (faults.some((f) => f.suppress)) {
        delivery.status = 'suppressed';
        return;
      }
      if (faults.some((f) => f.down)) {
        this.record(delivery, { ...base, error: 'connect ECONNREFUSED (endpoint down)', fault: 'down' });
        return this.afterFailure(job, number);
      }
      if (sum(faults, 'drop_first') >= number) {
        this.record(delivery, { ...base, error: 'request dropped before reaching the endpoint', fault: 'drop_first' });
        return this.afterFailure(job, number);
      }
    }

    const { status, error, body } = await sendWebhook(
      endpoint.url,
      event,
      this.activeSecrets(endpoint.id),
      this.clock.now(),
      this.config.deliveryTimeoutMs,
    );
    const slow = !job.duplicate && !job.manual && sum(faults, 'respond_slowly') >= number;
    const ok = status !== null && status >= 200 && status < 300 && !slow;
    this.record(delivery, {
      ...base,
      http_status: status,
      succeeded: ok,
      error: slow ? 'timed out waiting for a response (respond_slowly)' : error,
      fault: slow ? 'respond_slowly' : null,
      response_body: body,
    });
    if (job.duplicate) return;
    if (ok) {
      if (delivery.status !== 'succeeded') {
        delivery.status = 'succeeded';
        event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
        this.store.touch();
      }
      delivery.next_attempt_at = null;
      const copies = sum(faults, 'duplicate');
      if (!job.manual) {
        for (let i = 0; i < copies; i++) this.ready({ delivery, first: false, duplicate: true, manual: false });
      }
      return;
    }
    if (job.manual) {
      if (delivery.status !== 'succeeded' && !this.scheduled.has(delivery.id)) delivery.status = 'failed';
      return;
    }
    this.afterFailure(job, number);
  }

  private afterFailure(job: Job, number: number): void {
    const wait = this.config.retrySchedule[number - 1];
    const last = job.delivery.attempts.at(-1);
    const failure = {
      event: job.delivery.event,
      type: job.delivery.event_type,
      url: job.delivery.url,
      attempt: number,
      status: last?.http_status ?? null,
      error: last?.error ?? null,
    };
    if (wait === undefined) {
      job.delivery.status = 'failed';
      job.delivery.next_attempt_at = null;
      this.config.log.warn(failure, 'stripe emulator: webhook delivery failed for good (retries exhausted)');
      return;
    }
    this.config.log.info(
      { ...failure, retry_in_seconds: wait },
      'stripe emulator: webhook delivery failed; will retry',
    );
    this.schedule({ delivery: job.delivery, first: false, duplicate: false, manual: false }, wait);
  }

  private record(
    delivery: Delivery,
    a: Pick<DeliveryAttempt, 'number' | 'started_at' | 'duplicate' | 'manual'> & Partial<DeliveryAttempt>,
  ): void {
    this.store.touch();
    delivery.attempts.push({
      duration_ms: Date.now() - a.started_at,
      http_status: null,
      succeeded: false,
      error: null,
      fault: null,
      response_body: null,
      ...a,
    });
  }

  activeSecrets(endpointId: string): string[] {
    const now = this.clock.now();
    return (this.store.webhookSecrets.get(endpointId) ?? [])
      .filter((s) => s.expiresAt === null || s.expiresAt > now)
      .map((s) => s.secret);
  }
}

export type { Delivery, DeliveryAttempt, DeliveryStatus } from './delivery.ts';
