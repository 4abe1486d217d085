// One emulator instance without its HTTP layer: state, time, faults, deliveries, and the event
// emitter every flow uses. Routes and control endpoints receive this object.
import { Clock } from './clock.ts';
import { API_VERSION, type EmulatorConfig } from './config.ts';
import { newId } from './ids.ts';
import { Store, type StoredEvent } from './store.ts';
import { Deliverer } from './webhooks/deliverer.ts';
import { Faults } from './webhooks/faults.ts';
import { IdempotencyStore } from './wire/idempotency.ts';
import { hydrate } from './wire/render.ts';

/** Who caused an event: the API request (id + Idempotency-Key) or nobody (Stripe itself). */
export interface Origin {
  id: string | null;
  idempotency_key: string | null;
}

export const STRIPE_ITSELF: Origin = { id: null, idempotency_key: null };

export class Emulator {
  readonly store = new Store();
  readonly clock: Clock;
  readonly idempotency = new IdempotencyStore();
  readonly faults = new Faults();
  readonly webhooks: Deliverer;
  /** Set once the HTTP server listens; used for hosted page and file URLs. */
  baseUrl = '';

  constructor(readonly config: EmulatorConfig) {
    this.clock = new Clock(config.timeScale);
    this.webhooks = new Deliverer(this.store, this.clock, this.faults, config);
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * Records an event with a snapshot of `object` as it is now, then hands it to delivery.
   * `previous` is `data.previous_attributes` for `*.updated` events.
   */
  emit(type: string, object: object, origin: Origin, previous?: Record<string, unknown>): StoredEvent {
    const event: StoredEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.now(),
      data: {
        object: hydrate(this.store, object),
        ...(previous ? { previous_attributes: structuredClone(previous) } : {}),
      },
      livemode: false,
      pending_webhooks: 0,
      request: { ...origin },
      type,
    };
    this.store.insert('event', event);
    this.webhooks.enqueue(event);
    return event;
  }

  reset(): void {
    this.webhooks.clear();
    this.store.clear();
    this.idempotency.clear();
    this.faults.clear();
  }

  stop(): void {
    this.webhooks.stop();
    this.clock.stop();
  }
}
