// How a handler says "not now" or "never without help", always with a cause code and its detail
// (contracts/event-causes.ts): the pipeline stores the cause on the event and the message is made
// from it. Anything else a handler throws is treated as transient and retried with backoff.
import { describeEventCause, type EventCause } from '../../contracts/event-causes.ts';

/** The event refers to state not seen yet (invoice before its subscription, dispute before the
 * charge). The event is `deferred` and retried; the missing event usually arrives meanwhile. */
export class DeferEventError extends Error {
  readonly eventCause: EventCause;
  constructor(cause: EventCause) {
    super(describeEventCause(cause));
    this.name = 'DeferEventError';
    this.eventCause = cause;
  }
}

/** Retrying cannot help until a person acts (map a price, link a customer): the event is `failed`
 * at once, with its cause shown to support, and can be reprocessed after the fix. */
export class EventFailedError extends Error {
  readonly eventCause: EventCause;
  constructor(cause: EventCause) {
    super(describeEventCause(cause));
    this.name = 'EventFailedError';
    this.eventCause = cause;
  }
}

/** The handler needs Stripe's API, which the webhook answer never waits for: the event is
 * deferred, due at once, for the background retry job, without using up a retry. */
export class StripeNeededError extends DeferEventError {
  constructor(task: string) {
    super({ code: 'stripe_call_pending', detail: { task: task.slice(0, 500) } });
    this.name = 'StripeNeededError';
  }
}
