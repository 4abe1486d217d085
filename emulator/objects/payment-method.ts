// Test payment methods. A card's fingerprint identifies "the same card" across payments (Radar
// block lists use it); by default it is derived from the payer's email so every demo customer
// has their own card.
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

export type MethodKind = 'card' | 'sepa_debit';

export interface PayerDetails {
  email: string | null;
  name: string | null;
}

export interface CardDetails {
  last4?: string;
  brand?: string;
  fingerprint?: string;
  country?: string;
}

export function fingerprintFor(seed: string): string {
  return createHash('sha256').update(seed).digest('base64url').replace(/[-_]/g, 'x').slice(0, 16);
}

const EMPTY_ADDRESS: Stripe.Address = {
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
};

export function billingDetails(payer: PayerDetails): Stripe.PaymentMethod.BillingDetails {
  return { address: { ...EMPTY_ADDRESS }, email: payer.email, name: payer.name, phone: null, tax_id: null };
}

export function buildPaymentMethod(
  emu: Emulator,
  kind: MethodKind,
  payer: PayerDetails,
  customer: string | null,
  card: CardDetails = {},
): Stripe.PaymentMethod {
  const seed = payer.email ?? payer.name ?? 'anonymous';
  const base = {
    id: newId('pm'),
    object: 'payment_method' as const,
    allow_redisplay: 'unspecified' as const,
    billing_details: billingDetails(payer),
    created: emu.now(),
    customer,
    customer_account: null,
    livemode: false,
    metadata: {},
  };
  if (kind === 'sepa_debit') {
    return {
      ...base,
      type: 'sepa_debit',
      sepa_debit: {
        bank_code: '37040044',
        branch_code: '',
        country: 'DE',
        fingerprint: fingerprintFor(`sepa:${seed}`),
        generated_from: { charge: null, setup_attempt: null },
        last4: '3000',
      },
    };
  }
  const expYear = new Date().getUTCFullYear() + 3;
  return {
    ...base,
    type: 'card',
    card: {
      brand: card.brand ?? 'visa',
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: card.country ?? 'US',
      display_brand: card.brand ?? 'visa',
      exp_month: 12,
      exp_year: expYear,
      fingerprint: card.fingerprint ?? fingerprintFor(`card:${seed}:${card.last4 ?? '4242'}`),
      funding: 'credit',
      generated_from: null,
      last4: card.last4 ?? '4242',
      networks: { available: [card.brand ?? 'visa'], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
  };
}
