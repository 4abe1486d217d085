// Stripe calls made by the dispute actions: a refusal or an outage becomes an AppError in words.
import { AppError } from '../../lib/app-error.ts';

export async function stripeCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new AppError('STRIPE_ERROR', `Stripe refused to ${what}: ${(err as Error).message}`);
  }
}
