// Stripe payloads for tests, built from the verbatim Stripe fixtures (test/fixtures/stripe, copied
// from ../shared/stripe/fixtures) with the business fields overridden. Every object keeps the
// fixture's full shape, moved to API 2026-10-28.endive where the fixtures predate it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';

export const API_VERSION = '2026-10-28.endive';
export const stripe = new Stripe('sk_test_creditdesk_tests', { apiVersion: API_VERSION });

const FIXTURES = path.join(import.meta.dirname, '../fixtures/stripe');
const cache = new Map<string, unknown>();

function fixture<T>(name: string): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')));
  return structuredClone(cache.get(name)) as T;
}

type Obj = Record<string, unknown>;
let counter = 0;
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${counter.toString(36).padStart(5, '0')}${Math.random().toString(36).slice(2, 8)}`;
}

export const unix = (d: Date | number) => Math.floor((typeof d === 'number' ? d : d.getTime()) / 1000);

export interface EventOptions {
  id?: string;
  created?: number;
  previousAttributes?: Obj;
  idempotencyKey?: string | null;
}

export function event(type: string, object: unknown, options: EventOptions = {}): Obj {
  const envelope = fixture<Obj>('event');
  return {
    ...envelope,
    id: options.id ?? uid('evt'),
    api_version: API_VERSION,
    created: options.created ?? unix(Date.now()),
    type,
    data: { object, ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}) },
    request: { id: options.idempotencyKey ? uid('req') : null, idempotency_key: options.idempotencyKey ?? null },
  };
}

export function signedHeader(payload: string, secret: string, timestamp?: number): string {
  return stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

export interface SessionInput {
  id?: string;
  userId?: string | null;
  email?: string | null;
  kind?: 'pack' | 'plan';
  key?: string;
  credits?: number;
  mode?: 'payment' | 'subscription';
  paymentStatus?: 'paid' | 'unpaid' | 'no_payment_required';
  status?: 'open' | 'complete' | 'expired';
  amount?: number;
  currency?: string;
  customer?: string | null;
  paymentIntent?: string | null;
  subscription?: string | null;
  created?: number;
  metadata?: Record<string, string> | null;
  lineItems?: Array<{ price: string; quantity: number; description?: string; unitAmount?: number }>;
}

export function checkoutSession(input: SessionInput = {}): Obj {
  const s = fixture<Obj>('checkout.session');
  const mode = input.mode ?? 'payment';
  const metadata =
    input.metadata !== undefined
      ? (input.metadata ?? {})
      : {
          ...(input.userId !== null ? { user_id: input.userId ?? 'user_1' } : {}),
          kind: input.kind ?? (mode === 'payment' ? 'pack' : 'plan'),
          key: input.key ?? 'starter',
          credits: String(input.credits ?? 0),
        };
  const id = input.id ?? uid('cs_test');
  return {
    ...s,
    id,
    object: 'checkout.session',
    mode,
    status: input.status ?? 'complete',
    payment_status: input.paymentStatus ?? 'paid',
    amount_subtotal: input.amount ?? 900,
    amount_total: input.amount ?? 900,
    currency: input.currency ?? 'eur',
    customer: input.customer ?? null,
    customer_email: null,
    customer_details: {
      ...(s.customer_details as Obj),
      email: input.email === undefined ? 'buyer@example.com' : input.email,
    },
    client_reference_id: null,
    metadata,
    payment_intent: mode === 'payment' ? (input.paymentIntent ?? uid('pi')) : null,
    subscription: mode === 'subscription' ? (input.subscription ?? uid('sub')) : null,
    invoice: null,
    created: input.created ?? unix(Date.now()),
    allowed_payment_method_types: ['card'],
    url: null,
    ...(input.lineItems
      ? {
          line_items: {
            object: 'list',
            has_more: false,
            url: `/v1/checkout/sessions/${id}/line_items`,
            data: input.lineItems.map((li) => ({
              id: uid('li'),
              object: 'item',
              quantity: li.quantity,
              ...(li.description ? { description: li.description } : {}),
              price: {
                id: li.price,
                object: 'price',
                type: 'one_time',
                ...(li.unitAmount !== undefined
                  ? { unit_amount: li.unitAmount, currency: input.currency ?? 'eur' }
                  : {}),
              },
            })),
          },
        }
      : {}),
  };
}

export interface SubscriptionInput {
  id: string;
  customer: string;
  userId?: string | null;
  priceId: string;
  status?: string;
  periodStart: number;
  periodEnd: number;
  cancelAtPeriodEnd?: boolean;
  created?: number;
}

export function subscription(input: SubscriptionInput): Obj {
  const s = fixture<Obj>('subscription');
  const items = s.items as { data: Obj[] } & Obj;
  const item = items.data[0] as Obj;
  return {
    ...s,
    id: input.id,
    customer: input.customer,
    status: input.status ?? 'active',
    cancel_at_period_end: input.cancelAtPeriodEnd ?? false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    trial_end: null,
    trial_start: null,
    created: input.created ?? input.periodStart,
    start_date: input.created ?? input.periodStart,
    metadata: input.userId === null ? {} : { user_id: input.userId ?? 'user_1', kind: 'plan' },
    items: {
      ...items,
      url: `/v1/subscription_items?subscription=${input.id}`,
      data: [
        {
          ...item,
          id: uid('si'),
          subscription: input.id,
          price: { ...(item.price as Obj), id: input.priceId },
          current_period_start: input.periodStart,
          current_period_end: input.periodEnd,
        },
      ],
    },
  };
}

export interface InvoiceInput {
  id?: string;
  customer: string;
  subscription: string;
  userId?: string;
  priceId: string;
  billingReason?: string;
  amount?: number;
  currency?: string;
  status?: 'paid' | 'open';
  periodStart: number;
  periodEnd: number;
  paymentIntent?: string | null;
  paidAt?: number;
}

export function invoice(input: InvoiceInput): Obj {
  const inv = fixture<Obj>('invoice');
  const id = input.id ?? uid('in');
  const lines = inv.lines as { data: Obj[] } & Obj;
  const line = lines.data[0] as Obj;
  const paid = (input.status ?? 'paid') === 'paid';
  const amount = input.amount ?? 1900;
  return {
    ...inv,
    id,
    customer: input.customer,
    billing_reason: input.billingReason ?? 'subscription_cycle',
    currency: input.currency ?? 'eur',
    amount_due: amount,
    amount_paid: paid ? amount : 0,
    amount_remaining: paid ? 0 : amount,
    status: input.status ?? 'paid',
    period_start: input.periodStart,
    period_end: input.periodStart,
    status_transitions: {
      ...(inv.status_transitions as Obj),
      paid_at: paid ? (input.paidAt ?? input.periodStart) : null,
    },
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: {
        subscription: input.subscription,
        metadata: { user_id: input.userId ?? 'user_1', kind: 'plan' },
      },
    },
    lines: {
      ...lines,
      url: `/v1/invoices/${id}/lines`,
      data: [
        {
          ...line,
          id: uid('il'),
          invoice: id,
          amount,
          currency: input.currency ?? 'eur',
          period: { start: input.periodStart, end: input.periodEnd },
          parent: {
            type: 'subscription_item_details',
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: input.subscription,
              subscription_item: uid('si'),
            },
          },
          pricing: {
            type: 'price_details',
            price_details: { price: input.priceId, product: 'prod_plan' },
            unit_amount_decimal: String(amount),
          },
        },
      ],
    },
    ...(input.paymentIntent
      ? {
          payments: {
            object: 'list',
            has_more: false,
            url: `/v1/invoice_payments?invoice=${id}`,
            data: [
              {
                id: uid('inpay'),
                object: 'invoice_payment',
                invoice: id,
                is_default: true,
                amount_paid: paid ? amount : null,
                amount_requested: amount,
                currency: input.currency ?? 'eur',
                status: paid ? 'paid' : 'open',
                payment: { type: 'payment_intent', payment_intent: input.paymentIntent },
              },
            ],
          },
        }
      : {}),
  };
}

export interface ChargeInput {
  id: string;
  paymentIntent: string;
  amount: number;
  amountRefunded?: number;
  currency?: string;
  customer?: string | null;
  refunds?: Obj[];
}

export function charge(input: ChargeInput): Obj {
  const c = fixture<Obj>('charge');
  const refunded = input.amountRefunded ?? 0;
  return {
    ...c,
    id: input.id,
    amount: input.amount,
    amount_captured: input.amount,
    amount_refunded: refunded,
    refunded: refunded >= input.amount,
    captured: true,
    currency: input.currency ?? 'eur',
    customer: input.customer ?? null,
    payment_intent: input.paymentIntent,
    refunds: input.refunds
      ? { object: 'list', has_more: false, url: `/v1/charges/${input.id}/refunds`, data: input.refunds }
      : undefined,
  };
}

export interface RefundInput {
  id?: string;
  charge: string;
  paymentIntent: string;
  amount: number;
  currency?: string;
  status?: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action';
  metadata?: Record<string, string>;
  created?: number;
  failureReason?: string;
}

export function refund(input: RefundInput): Obj {
  const r = fixture<Obj>('refund');
  return {
    ...r,
    id: input.id ?? uid('re'),
    charge: input.charge,
    payment_intent: input.paymentIntent,
    amount: input.amount,
    currency: input.currency ?? 'eur',
    status: input.status ?? 'succeeded',
    metadata: input.metadata ?? {},
    created: input.created ?? unix(Date.now()),
    ...(input.failureReason ? { failure_reason: input.failureReason } : {}),
  };
}

export interface DisputeInput {
  id?: string;
  charge: string;
  paymentIntent: string;
  amount: number;
  currency?: string;
  status?: string;
  reason?: string;
  dueBy?: number;
  created?: number;
}

export function dispute(input: DisputeInput): Obj {
  const d = fixture<Obj>('dispute');
  return {
    ...d,
    id: input.id ?? uid('dp'),
    charge: input.charge,
    payment_intent: input.paymentIntent,
    amount: input.amount,
    currency: input.currency ?? 'eur',
    status: input.status ?? 'needs_response',
    reason: input.reason ?? 'fraudulent',
    created: input.created ?? unix(Date.now()),
    evidence_details: { ...(d.evidence_details as Obj), due_by: input.dueBy ?? unix(Date.now()) + 7 * 86400 },
    intended_submission_method: null,
  };
}

export function earlyFraudWarning(input: {
  id?: string;
  charge: string;
  paymentIntent: string;
  created?: number;
}): Obj {
  const w = fixture<Obj>('radar.early_fraud_warning');
  return {
    ...w,
    id: input.id ?? uid('issfr'),
    charge: input.charge,
    payment_intent: input.paymentIntent,
    fraud_type: 'made_with_stolen_card',
    actionable: true,
    created: input.created ?? unix(Date.now()),
  };
}
