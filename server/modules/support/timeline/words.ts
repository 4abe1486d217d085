// Words and colours for timeline items, in one place so every screen says the same thing.
import type { Tone } from '../../../contracts/support.ts';
import type { LedgerEntryType } from '../../../generated/prisma/client.ts';
import { statusWords } from '../../../contracts/status-words.ts';

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

// Tones come from the one vocabulary the web's badges use too (contracts/status-words.ts).
/** A stored event's status, or a processing attempt's outcome ('error': the handler threw). */
export const eventTone = (status: string): Tone => statusWords('event', status).tone;
export const paymentTone = (status: string): Tone => statusWords('payment', status).tone;
export const refundTone = (status: string): Tone => statusWords('refund', status).tone;
export const disputeTone = (status: string): Tone => statusWords('dispute', status).tone;
export const subscriptionTone = (status: string): Tone => statusWords('subscription', status).tone;

/** Stripe ids worth linking (not the customer: every object names it). */
export function isChainId(id: unknown): id is string {
  return typeof id === 'string' && /^(cs|pi|ch|py|in|sub|re|pyr|dp|du)_[A-Za-z0-9_]+$/.test(id);
}
