// What a failed attempt stores: the handler's own cause, or for anything unexpected a generic cause
// with a correlation id. The raw error (Prisma text with SQL and file paths, stack) goes only to the
// server log under that id; staff see words made from the code, and search the log for the id.
import { randomBytes } from 'node:crypto';
import type { EventCause } from '../../contracts/event-causes.ts';
import { DeferEventError, EventFailedError } from './event-errors.ts';

export interface FailureCause {
  cause: EventCause;
  /** needs a person (failed at once) / waits for a related event / anything else (retried). */
  kind: 'failed' | 'deferred' | 'error';
}

const newCorrelationId = () => randomBytes(6).toString('hex');

function stripeErrorType(err: unknown): string | null {
  const type = (err as { type?: unknown } | null)?.type;
  return err instanceof Error && typeof type === 'string' && type.startsWith('Stripe') ? type.slice(0, 100) : null;
}

export function failureCause(err: unknown): FailureCause {
  if (err instanceof EventFailedError) return { cause: err.eventCause, kind: 'failed' };
  if (err instanceof DeferEventError) return { cause: err.eventCause, kind: 'deferred' };
  const correlationId = newCorrelationId();
  const errorType = stripeErrorType(err);
  return {
    cause: errorType
      ? { code: 'stripe_error', detail: { correlationId, errorType } }
      : { code: 'internal_error', detail: { correlationId } },
    kind: 'error',
  };
}
