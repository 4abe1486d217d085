// How a handler says "not now" or "never without help". Anything else it throws is treated as
// transient and retried with backoff.

/** The event refers to state not seen yet (invoice before its subscription, dispute before the
 * charge). The event is `deferred` and retried; the missing event usually arrives meanwhile. */
export class DeferEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeferEventError';
  }
}

/** Retrying cannot help until a person acts (map a price, link a customer): the event is `failed`
 * at once, with this message shown to support, and can be reprocessed after the fix. */
export class EventFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventFailedError';
  }
}

/** The handler needs Stripe's API, which the webhook answer never waits for: the event is
 * deferred, due at once, for the background retry job, without using up a retry. */
export class StripeNeededError extends DeferEventError {
  constructor(message: string) {
    super(message);
    this.name = 'StripeNeededError';
  }
}
