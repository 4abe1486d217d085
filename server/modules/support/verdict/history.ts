// What the verdict rules read: one customer's history, loaded once (load-history.ts) plus what
// Stripe itself says (load-stripe-view.ts). Rules are pure functions over this.
import type { CatalogNames } from '../../../contracts/catalog-names.ts';
import type {
  AutoTopup,
  AutoTopupSetting,
  BlockEvent,
  CreditLot,
  Customer,
  Dispute,
  LedgerEntryType,
  Payment,
  Refund,
  Subscription,
} from '../../../generated/prisma/client.ts';
import type { PriceDetails } from '../../catalog/describe-prices.ts';
import type { EventCause } from '../../../contracts/event-causes.ts';
import type { Rules } from '../../catalog/get-rules.ts';
import type { ResolvedEntitlements } from '../../entitlements/resolve-entitlements.ts';

export interface HistoryEvent {
  id: string;
  type: string;
  created: Date;
  status: string;
  attempts: number;
  /** The failure in words, for people only: rules act on `cause`. */
  lastError: string | null;
  /** Why it failed or waits, as data (null when processed, or an old row stored before causes). */
  cause: EventCause | null;
  nextAttemptAt: Date | null;
  processedAt: Date | null;
  objectId: string | null;
  /** Linked to this customer; false for an event not linked to anyone yet, matched by its payload. */
  linked: boolean;
  /**
   * How an unlinked event was matched: by this customer's user id or Stripe customer (it simply
   * failed before it could be linked), or only by the payer's email (it carries no user id we know).
   */
  matchedBy: 'link' | 'user_id' | 'stripe_customer' | 'email';
  /** data.object of the payload. */
  object: Record<string, unknown>;
}

export interface StripePaidObject {
  id: string;
  kind: 'session' | 'invoice';
  amount: number;
  currency: string;
  created: Date;
  /** The event Stripe sent for it, when its event list still has it (30 days). */
  eventId: string | null;
  eventType: string | null;
  /** Payment row or stored event exists here. */
  knownLocally: boolean;
}

export interface StripeSubscriptionView {
  id: string;
  status: string;
  priceId: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

export interface StripeView {
  checked: boolean;
  note: string | null;
  paid: StripePaidObject[];
  subscriptions: StripeSubscriptionView[];
}

export const STRIPE_NOT_CHECKED: StripeView = {
  checked: false,
  note: 'Stripe was not checked',
  paid: [],
  subscriptions: [],
};

export type PaymentWithCases = Payment & { refunds: Refund[]; disputes: Dispute[] };

export interface GrantRef {
  entryId: string;
  reference: string;
  credits: number;
  createdAt: Date;
}

export interface CustomerHistory {
  now: Date;
  customer: Customer;
  rules: Rules;
  /** Lots still holding credits (frozen ones included). */
  lots: CreditLot[];
  /**
   * Sum of credits and count of entries per ledger entry type, over the whole ledger except usage
   * and its reversals (usage is counted from the usage rows: consumedByFeature).
   */
  entryTotals: Partial<Record<LedgerEntryType, { credits: number; count: number }>>;
  consumedByFeature: Array<{ feature: string; credits: number }>;
  /** Newest first, bounded. */
  payments: PaymentWithCases[];
  /** Grant entries referencing the payments' Stripe objects. */
  grants: GrantRef[];
  subscriptions: Subscription[];
  /** Every plan's and pack's name by key: verdicts name what was bought or is on, not keys. */
  catalogNames: CatalogNames;
  /** Stripe price -> plan key, for the prices the subscriptions use. */
  pricePlans: Record<string, string | null>;
  /** Events needing attention (not processed) linked to the customer or matched to them. */
  openEvents: HistoryEvent[];
  /** Processed events about the newest payments, for the payment-to-credit chain. */
  paymentEvents: HistoryEvent[];
  /** Prices named in event errors that the catalog maps now. */
  mappedPrices: string[];
  /** What those prices are (name, amount, one-time or recurring), where Stripe or a payload said. */
  priceDetails: Record<string, PriceDetails>;
  blocks: BlockEvent[];
  disputes: Dispute[];
  entitlements: ResolvedEntitlements;
  stripe: StripeView;
  /** Auto top-up: the settings and the latest attempt (absent where not loaded). */
  topup?: { setting: AutoTopupSetting | null; latest: AutoTopup | null };
}
