import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';
import { wireDecimal } from '../wire/decimal.ts';

export type Interval = 'day' | 'week' | 'month' | 'year';

export interface PriceInput {
  product: string;
  currency: string;
  unit_amount: number;
  recurring?: { interval: Interval; interval_count: number } | null;
  lookup_key?: string | null;
  nickname?: string | null;
  metadata?: Record<string, string>;
  active?: boolean;
}

export function buildPrice(emu: Emulator, input: PriceInput): Stripe.Price {
  return {
    id: newId('price'),
    object: 'price',
    active: input.active ?? true,
    billing_scheme: 'per_unit',
    created: emu.now(),
    currency: input.currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookup_key ?? null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring
      ? {
          interval: input.recurring.interval,
          interval_count: input.recurring.interval_count,
          meter: null,
          trial_period_days: null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? 'recurring' : 'one_time',
    unit_amount: input.unit_amount,
    unit_amount_decimal: wireDecimal(input.unit_amount),
  };
}

/** The legacy `plan` Stripe still embeds in subscription items, derived from a recurring price. */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}
