// Words and colours for timeline items, in one place so every screen says the same thing.
import type { Tone } from '../../../contracts/support.ts';
import type { LedgerEntryType } from '../../../generated/prisma/client.ts';

export const ENTRY_TITLES: Record<LedgerEntryType, string> = {
  grant: 'Credits granted',
  purchase: 'Credits purchased',
  subscription_grant: 'Subscription credits',
  usage: 'Usage',
  reversal: 'Entry reversed',
  expiration: 'Credits expired',
  refund_clawback: 'Clawed back after refund',
  refund_restore: 'Credits restored',
  dispute_freeze: 'Credits frozen (dispute)',
  dispute_release: 'Credits released (dispute)',
  dispute_clawback: 'Clawed back after dispute',
  manual_adjustment: 'Manual adjustment',
};

export function entryTone(type: LedgerEntryType, credits: number): Tone {
  if (type === 'dispute_freeze' || type === 'refund_clawback' || type === 'dispute_clawback') return 'danger';
  if (type === 'expiration') return 'warning';
  return credits > 0 ? 'success' : 'neutral';
}

export function eventTone(status: string): Tone {
  switch (status) {
    case 'processed':
      return 'success';
    case 'failed':
      return 'danger';
    case 'deferred':
    case 'received':
      return 'warning';
    default:
      return 'neutral';
  }
}

export const EVENT_STATUS_WORDS: Record<string, string> = {
  processed: 'processed',
  failed: 'failed',
  deferred: 'waiting to retry',
  received: 'received, not processed yet',
  ignored: 'ignored (type not used)',
};

export function paymentTone(status: string): Tone {
  if (status === 'paid') return 'success';
  if (status === 'pending') return 'warning';
  if (status === 'failed' || status === 'refunded' || status === 'partially_refunded') return 'danger';
  return 'neutral';
}

export function refundTone(status: string): Tone {
  if (status === 'succeeded') return 'danger';
  if (status === 'pending' || status === 'pending_approval') return 'warning';
  return 'neutral';
}

export function disputeTone(status: string): Tone {
  if (status === 'won' || status === 'warning_closed' || status === 'prevented') return 'success';
  if (status === 'lost') return 'danger';
  return 'warning';
}

export function subscriptionTone(status: string): Tone {
  if (status === 'active' || status === 'trialing') return 'success';
  if (status === 'past_due' || status === 'incomplete' || status === 'unpaid') return 'warning';
  if (status === 'canceled' || status === 'incomplete_expired') return 'danger';
  return 'neutral';
}

/** Stripe ids worth linking (not the customer: every object names it). */
export function isChainId(id: unknown): id is string {
  return typeof id === 'string' && /^(cs|pi|ch|py|in|sub|re|pyr|dp|du)_[A-Za-z0-9_]+$/.test(id);
}
