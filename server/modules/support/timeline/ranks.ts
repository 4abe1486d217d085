// Order within a millisecond: items from a higher rank come first (an effect above its cause).
import type { LedgerEntryType } from '../../../generated/prisma/client.ts';
import { ENTRY_TITLES } from './words.ts';

export const RANK = {
  event: 1,
  payment: 2,
  subscription: 3,
  refund: 4,
  dispute: 5,
  ledger: 6,
  entitlement: 7,
  usage: 8,
  block: 9,
  audit: 10,
  note: 11,
  outbound: 12,
  topup: 13,
} as const;

/** Every entry type but usage, which the usage groups stand for. */
export const TIMELINE_ENTRY_TYPES = (Object.keys(ENTRY_TITLES) as LedgerEntryType[]).filter((t) => t !== 'usage');

export const USAGE_BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
export type UsageBucket = keyof typeof USAGE_BUCKET_MS;
