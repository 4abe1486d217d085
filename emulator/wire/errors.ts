// Stripe's error envelope: `{ error: { type, code?, message, param?, doc_url? } }` with the HTTP
// status Stripe uses for that kind of failure. The SDK maps `type` to its error classes.

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'authentication_error'
  | 'rate_limit_error';

export interface StripeErrorBody {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: unknown;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /** Parameter validation failures are not stored under an idempotency key (Stripe docs). */
    readonly beforeExecution = false,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }

  toJSON(): { error: StripeErrorBody } {
    return { error: this.body };
  }
}

function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`;
}

export function invalidRequest(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'invalid_request_error',
    message,
    ...(param ? { param } : {}),
    ...(code ? { code, doc_url: docUrl(code) } : {}),
  });
}

export function paramError(code: string, message: string, param: string): StripeApiError {
  return new StripeApiError(400, { type: 'invalid_request_error', code, message, param, doc_url: docUrl(code) }, true);
}

export function missingParam(param: string): StripeApiError {
  return paramError('parameter_missing', `Missing required param: ${param}.`, param);
}

export function unknownParam(param: string): StripeApiError {
  return paramError('parameter_unknown', `Received unknown parameter: ${param}`, param);
}

export function resourceMissing(what: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${what}: '${id}'`,
    param,
    doc_url: docUrl('resource_missing'),
  });
}

export function unrecognizedUrl(method: string, path: string): StripeApiError {
  return new StripeApiError(404, {
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message });
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

export function idempotencyInProgress(): StripeApiError {
  return new StripeApiError(409, {
    type: 'idempotency_error',
    message:
      'There is currently another in-progress request using this Stripe API key (which may be on another server) with the same idempotency key.',
  });
}

export function cardDeclined(
  message: string,
  declineCode: string,
  extra: Partial<StripeErrorBody> = {},
): StripeApiError {
  return new StripeApiError(402, {
    type: 'card_error',
    code: 'card_declined',
    decline_code: declineCode,
    message,
    doc_url: docUrl('card_declined'),
    ...extra,
  });
}
