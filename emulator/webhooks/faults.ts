// Injected trouble. Webhook faults match deliveries by endpoint, event id or event type
// (`charge.*` wildcards); API faults match requests by method and path. Faults stay until
// removed, except API failures with `times`, which wear off.
import { newId } from '../ids.ts';

export interface WebhookFaultSpec {
  /**
   * Which deliveries: to an endpoint, of one event, of event types (`charge.*`), or of events
   * about one object (`data.object.id`, e.g. a Checkout Session before it is paid).
   */
  match?: { endpoint?: string; event?: string; type?: string; object?: string };
  /** The first N attempts of each matching delivery never reach the receiver (recorded as failed). */
  drop_first?: number;
  /** The first attempt waits this many emulated seconds. */
  delay_seconds?: number;
  /** Each successful delivery is sent N more times. */
  duplicate?: number;
  /** Hold N first attempts for the endpoint, then send them newest first (endpoint-wide). */
  reorder?: number;
  /** Emulated seconds reordering waits for N events before sending what it holds (default 60). */
  reorder_window_seconds?: number;
  /** Every attempt fails as "connection refused" until the fault is removed. */
  down?: boolean;
  /** The first N attempts reach the receiver but count as timed out, so Stripe retries them. */
  respond_slowly?: number;
  /** Never deliver matching events; they stay `pending_webhooks > 0` (delivery_success=false). */
  suppress?: boolean;
}

export interface WebhookFault extends WebhookFaultSpec {
  id: string;
  target: 'webhook';
}

export interface ApiFaultSpec {
  match: { method?: string; path: string };
  /** Extra latency before the response, in real milliseconds. */
  latency_ms?: number;
  /** Answer with an error instead of (or, with after_processing, after) executing. */
  fail?: { status?: number; type?: string; message?: string; after_processing?: boolean };
  /** How many matching requests the fault affects; unlimited when absent. */
  times?: number;
}

export interface ApiFault extends ApiFaultSpec {
  id: string;
  target: 'api';
}

export type Fault = WebhookFault | ApiFault;

function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*' || pattern === type) return true;
  if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
  return false;
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  const re = new RegExp(
    `^${pattern
      .split(':id')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}$`,
  );
  return re.test(path);
}

export class Faults {
  private list: Fault[] = [];

  add(spec: (WebhookFaultSpec & { target?: 'webhook' }) | (ApiFaultSpec & { target: 'api' })): Fault {
    const fault = { ...spec, id: newId('flt'), target: spec.target ?? 'webhook' } as Fault;
    this.list.push(fault);
    return fault;
  }

  remove(id: string): boolean {
    const before = this.list.length;
    this.list = this.list.filter((f) => f.id !== id);
    return this.list.length !== before;
  }

  clear(): void {
    this.list = [];
  }

  all(): Fault[] {
    return [...this.list];
  }

  forDelivery(
    endpoint: string,
    event: { id: string; type: string; data: { object: Record<string, unknown> } },
  ): WebhookFault[] {
    return this.list.filter((f): f is WebhookFault => {
      if (f.target !== 'webhook') return false;
      const m = f.match ?? {};
      if (m.endpoint && m.endpoint !== endpoint) return false;
      if (m.event && m.event !== event.id) return false;
      if (m.type && !typeMatches(m.type, event.type)) return false;
      if (m.object && event.data.object.id !== m.object) return false;
      return true;
    });
  }

  /** Reordering applies to an endpoint as a whole, never to one event. */
  reorderFor(endpoint: string): { count: number; windowSeconds: number } {
    let count = 0;
    let windowSeconds = 60;
    for (const f of this.list) {
      if (f.target !== 'webhook' || !f.reorder) continue;
      const m = f.match ?? {};
      if (m.event || m.type || m.object) continue;
      if (!m.endpoint || m.endpoint === endpoint) {
        count = Math.max(count, f.reorder);
        windowSeconds = f.reorder_window_seconds ?? windowSeconds;
      }
    }
    return { count, windowSeconds };
  }

  /** Consumes one use of each matching API fault. */
  forRequest(method: string, path: string): ApiFault[] {
    const hits = this.list.filter(
      (f): f is ApiFault =>
        f.target === 'api' &&
        (!f.match.method || f.match.method.toUpperCase() === method) &&
        pathMatches(f.match.path, path),
    );
    for (const f of hits) {
      if (f.times === undefined) continue;
      f.times -= 1;
      if (f.times <= 0) this.remove(f.id);
    }
    return hits;
  }
}
