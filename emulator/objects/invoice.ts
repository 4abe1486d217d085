// The 2026 invoice shape: no top-level subscription/payment_intent/charge; the subscription is
// under `parent.subscription_details` (with a metadata snapshot), payments are InvoicePayments,
// and each line says what was bought under `pricing.price_details`.
import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';
import { wireDecimal } from '../wire/decimal.ts';

export interface InvoiceLineInput {
  price: Stripe.Price;
  quantity: number;
  period: { start: number; end: number };
  subscriptionItem: string | null;
  description: string;
  /** A proration line's own amount (negative for unused time); default unit_amount x quantity. */
  prorated?: number;
}

export interface InvoiceInput {
  customer: Stripe.Customer;
  currency: string;
  subscription: Stripe.Subscription | null;
  billingReason: Stripe.Invoice.BillingReason;
  lines: InvoiceLineInput[];
  periodStart: number;
  periodEnd: number;
  metadata: Record<string, string>;
}

function buildLine(invoiceId: string, sub: Stripe.Subscription | null, line: InvoiceLineInput): Stripe.InvoiceLineItem {
  const amount = line.prorated ?? (line.price.unit_amount ?? 0) * line.quantity;
  const proration = line.prorated !== undefined;
  const product = typeof line.price.product === 'string' ? line.price.product : line.price.product.id;
  return {
    id: newId('il'),
    object: 'line_item',
    amount,
    currency: line.price.currency,
    description: line.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: line.subscriptionItem
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null,
            proration,
            proration_details: { credited_items: null },
            subscription: sub?.id ?? null,
            subscription_item: line.subscriptionItem,
          },
        }
      : {
          type: 'invoice_item_details',
          invoice_item_details: {
            invoice_item: newId('ii'),
            proration: false,
            proration_details: { credited_items: null },
            subscription: sub?.id ?? null,
          },
          subscription_item_details: null,
        },
    period: { ...line.period },
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: line.price.id, product },
      unit_amount_decimal: wireDecimal(line.price.unit_amount ?? 0),
    },
    quantity: line.quantity,
    quantity_decimal: wireDecimal(line.quantity),
    subscription: sub?.id ?? null,
    subtotal: amount,
    taxes: [],
  };
}

export function buildInvoice(emu: Emulator, input: InvoiceInput): Stripe.Invoice {
  const id = newId('in');
  const now = emu.now();
  const lines = input.lines.map((l) => buildLine(id, input.subscription, l));
  const total = lines.reduce((n, l) => n + l.amount, 0);
  const c = input.customer;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Creditdesk Demo',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: now + 3600,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: input.currency,
    custom_fields: null,
    customer: c.id,
    customer_account: null,
    customer_address: null,
    customer_email: c.email,
    customer_name: c.name ?? null,
    customer_phone: c.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: input.metadata,
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: input.subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {
            metadata: { ...input.subscription.metadata },
            subscription: input.subscription.id,
          },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export function buildInvoicePayment(
  emu: Emulator,
  invoice: Stripe.Invoice,
  paymentIntent: string,
): Stripe.InvoicePayment {
  return {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created: emu.now(),
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
}
