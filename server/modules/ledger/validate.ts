// Checks shared by the ledger's public functions, before anything reaches the database.
import { AppError } from '../../lib/app-error.ts';

/** Credits moved by one entry: a positive whole number (the sign comes from the entry type). */
export function assertCredits(credits: number, field = 'credits'): void {
  if (!Number.isSafeInteger(credits) || credits <= 0 || credits > 2_000_000_000) {
    throw new AppError('VALIDATION', `${field} must be a whole number above 0`, { [field]: credits });
  }
}

/** Every entry says why, and carries a key that makes retries safe. */
export function assertEntryText(input: { reason: string; idempotencyKey: string }): void {
  if (!input.reason?.trim()) throw new AppError('VALIDATION', 'A reason is required');
  if (!input.idempotencyKey?.trim() || input.idempotencyKey.length > 255) {
    throw new AppError('VALIDATION', 'An idempotency key (1-255 characters) is required');
  }
}
