// The one error road: modules throw AppError with a code from this closed list; the tRPC error
// formatter and the REST error handler map it once. Anything else is an internal error whose
// details never reach a client.

export const APP_ERROR_CODES = {
  VALIDATION: { http: 400, trpc: 'BAD_REQUEST' },
  UNAUTHORIZED: { http: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { http: 403, trpc: 'FORBIDDEN' },
  BLOCKED: { http: 403, trpc: 'FORBIDDEN' },
  NOT_ENTITLED: { http: 403, trpc: 'FORBIDDEN' },
  INSUFFICIENT_CREDITS: { http: 402, trpc: 'PRECONDITION_FAILED' },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND' },
  CONFLICT: { http: 409, trpc: 'CONFLICT' },
  STALE: { http: 409, trpc: 'CONFLICT' },
  UNPROCESSABLE: { http: 422, trpc: 'UNPROCESSABLE_CONTENT' },
  RATE_LIMITED: { http: 429, trpc: 'TOO_MANY_REQUESTS' },
  STRIPE_ERROR: { http: 502, trpc: 'BAD_GATEWAY' },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return APP_ERROR_CODES[this.code].http;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The JSON body every REST endpoint answers with on error. */
export function errorBody(error: AppError): { error: { code: string; message: string; details?: unknown } } {
  return {
    error: {
      code: error.code.toLowerCase(),
      message: error.message,
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
}
