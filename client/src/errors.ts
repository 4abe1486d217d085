// Typed errors: every non-2xx answer of the service API becomes one of these, chosen by the
// stable `error.code` (and the status), so callers branch with `instanceof`, never on messages.

export class CreditdeskError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when no answer arrived (network error, timeout). */
    readonly status: number,
    /** The API's stable error code (`insufficient_credits`, `blocked`, …), or `connection`. */
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request does not fit the contract; `details` lists each field and what is wrong. */
export class ValidationError extends CreditdeskError {}
/** 401: missing, unknown or revoked API key. */
export class AuthenticationError extends CreditdeskError {}
/** 402: not enough spendable credits; nothing was charged. */
export class InsufficientCredits extends CreditdeskError {}
/** 403: the customer is blocked (disputes, fraud, or by staff). */
export class Blocked extends CreditdeskError {}
/** 403: the customer's plan does not include the feature. */
export class NotEntitled extends CreditdeskError {}
/** 403 for any other reason. */
export class Forbidden extends CreditdeskError {}
/** 404: unknown customer, feature, usage, pack or plan. */
export class NotFound extends CreditdeskError {}
/** 409: e.g. an idempotency key already used with a different request. */
export class Conflict extends CreditdeskError {}
/** 422: the request is valid but cannot be done (e.g. a pack with no Stripe price). */
export class Unprocessable extends CreditdeskError {}
/** 429: slow down. */
export class RateLimited extends CreditdeskError {}
/** 502: Stripe refused or could not be reached. */
export class StripeUnavailable extends CreditdeskError {}
/** 5xx: Creditdesk failed; safe to retry calls that carry an idempotency key. */
export class ServerError extends CreditdeskError {}
/** No answer: network error, dropped connection or timeout. */
export class ConnectionError extends CreditdeskError {}

export function errorFromResponse(status: number, body: unknown): CreditdeskError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${status}`;
  const message = typeof error?.message === 'string' ? error.message : `Creditdesk answered HTTP ${status}`;
  const args = [message, status, code, error?.details] as const;
  if (code === 'insufficient_credits') return new InsufficientCredits(...args);
  if (code === 'blocked') return new Blocked(...args);
  if (code === 'not_entitled') return new NotEntitled(...args);
  switch (status) {
    case 400:
      return new ValidationError(...args);
    case 401:
      return new AuthenticationError(...args);
    case 402:
      return new InsufficientCredits(...args);
    case 403:
      return new Forbidden(...args);
    case 404:
      return new NotFound(...args);
    case 409:
      return new Conflict(...args);
    case 422:
      return new Unprocessable(...args);
    case 429:
      return new RateLimited(...args);
    case 502:
      return new StripeUnavailable(...args);
    default:
      return status >= 500 ? new ServerError(...args) : new CreditdeskError(...args);
  }
}
