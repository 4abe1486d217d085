// PaymentIntents: create (optionally confirm), retrieve, update, confirm with Stripe test
// payment methods (pm_card_visa, pm_card_chargeDeclined, ...), cancel, list.
import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { attemptPayment, createPaymentIntent, type AttemptMode } from '../flows/payments.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { buildPaymentMethod } from '../objects/payment-method.ts';
import * as P from '../wire/allowed-params.ts';
import { cardDeclined, invalidRequest } from '../wire/errors.ts';
import { paginate } from '../wire/list.ts';
import { applyMetadata, rangeFilter, type Params } from '../wire/params.ts';
import { render, renderList } from '../wire/render.ts';
import { updateMetadataRoute } from './shared.ts';

/** Stripe's test PaymentMethod tokens. */
type TestMethod = {
  kind: 'card' | 'sepa_debit';
  mode: AttemptMode;
  last4: string;
  brand: string;
  declineAs?: { code: string; decline_code: string; message: string };
};
const AUTHENTICATION_REQUIRED = {
  code: 'authentication_required',
  decline_code: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};
/** Saved cards that decline when charged later (off-session), whatever they are saved as. */
const DECLINE_LATER: Record<string, TestMethod> = {
  '0341': { kind: 'card', mode: 'decline', last4: '0341', brand: 'visa' },
  '3184': { kind: 'card', mode: 'decline', last4: '3184', brand: 'visa', declineAs: AUTHENTICATION_REQUIRED },
};
const TEST_METHODS: Record<string, TestMethod> = {
  pm_card_visa: { kind: 'card', mode: 'succeed', last4: '4242', brand: 'visa' },
  pm_card_mastercard: { kind: 'card', mode: 'succeed', last4: '4444', brand: 'mastercard' },
  pm_card_chargeDeclined: { kind: 'card', mode: 'decline', last4: '0002', brand: 'visa' },
  pm_card_visa_chargeDeclined: { kind: 'card', mode: 'decline', last4: '0341', brand: 'visa' },
  pm_card_chargeDeclinedInsufficientFunds: { kind: 'card', mode: 'decline', last4: '9995', brand: 'visa' },
  pm_sepa_debit: { kind: 'sepa_debit', mode: 'process', last4: '3000', brand: 'sepa' },
  // Off-session: the bank wants the customer present (3DS); Stripe answers authentication_required.
  pm_card_authenticationRequired: DECLINE_LATER['3184']!,
};

function resolveMethod(
  emu: Emulator,
  id: string,
  customer: string | null,
): { pm: Stripe.PaymentMethod; mode: AttemptMode; declineAs?: TestMethod['declineAs'] } {
  const test = TEST_METHODS[id];
  if (test) {
    const email = customer ? (emu.store.get('customer', customer)?.email ?? null) : null;
    const pm = emu.store.insert(
      'payment_method',
      buildPaymentMethod(emu, test.kind, { email, name: null }, customer, { last4: test.last4, brand: test.brand }),
    );
    return { pm, mode: test.mode, declineAs: test.declineAs };
  }
  const pm = emu.store.require('payment_method', id, 'payment_method');
  // A saved card charged again: Stripe's "attaches, then declines" test cards (…0341, …3184).
  const later = pm.card ? DECLINE_LATER[pm.card.last4] : undefined;
  if (later) return { pm, mode: later.mode, declineAs: later.declineAs };
  return { pm, mode: pm.type === 'sepa_debit' ? 'process' : 'succeed' };
}

function confirm(
  emu: Emulator,
  pi: Stripe.PaymentIntent,
  p: Params,
  origin: { id: string | null; idempotency_key: string | null },
): void {
  if (!['requires_payment_method', 'requires_confirmation'].includes(pi.status)) {
    throw invalidRequest(
      `You cannot confirm this PaymentIntent because it has a status of ${pi.status}.`,
      'payment_intent',
      'payment_intent_unexpected_state',
    );
  }
  const pmId = p.str('payment_method') ?? (typeof pi.payment_method === 'string' ? pi.payment_method : undefined);
  if (!pmId) {
    throw invalidRequest(
      'You cannot confirm this PaymentIntent because it has no payment method.',
      'payment_method',
      'payment_intent_unexpected_state',
    );
  }
  const { pm, mode, declineAs } = resolveMethod(emu, pmId, typeof pi.customer === 'string' ? pi.customer : null);
  const ch = attemptPayment(emu, pi, pm, mode, origin, declineAs);
  if (pi.status === 'requires_payment_method') {
    throw cardDeclined(
      pi.last_payment_error?.message ?? 'Your card was declined.',
      pi.last_payment_error?.decline_code ?? 'generic_decline',
      {
        charge: ch.id,
        payment_intent: render(emu.store, pi),
        ...(declineAs ? { code: declineAs.code } : {}),
      },
    );
  }
}

export function registerPaymentIntentRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/payment_intents', (ctx) => {
    const p = params(ctx, P.PaymentIntentCreate);
    const { emu } = ctx;
    const customer = p.str('customer') ?? null;
    if (customer) emu.store.require('customer', customer, 'customer');
    const amount = p.reqInt('amount');
    if (amount < 50) throw invalidRequest('Amount must be at least 50 cents', 'amount', 'amount_too_small');
    const input = {
      amount,
      currency: p.reqCurrency('currency'),
      customer,
      description: p.str('description') ?? null,
      metadata: applyMetadata({}, p.raw.metadata),
      payment_method_types: p.strList('allowed_payment_method_types') ?? ['card'],
      receipt_email: p.email('receipt_email') ?? null,
    };
    const pm = p.str('payment_method');
    const confirmNow = p.bool('confirm');
    const pi = createPaymentIntent(emu, input, ctx.origin);
    if (pm) {
      pi.payment_method = pm;
      pi.status = 'requires_confirmation';
    }
    if (confirmNow) confirm(emu, pi, p, ctx.origin);
    return render(emu.store, pi, p.expand());
  });
  router.get('/v1/payment_intents/:id', (ctx) => {
    const p = params(ctx, ['client_secret']);
    return render(ctx.emu.store, ctx.emu.store.require('payment_intent', pathId(ctx)), p.expand());
  });
  router.post(
    '/v1/payment_intents/:id',
    updateMetadataRoute('payment_intent', P.PaymentIntentUpdate, 'payment_intent.updated'),
  );
  router.post('/v1/payment_intents/:id/confirm', (ctx) => {
    const p = params(ctx, P.PaymentIntentConfirm);
    const pi = ctx.emu.store.require('payment_intent', pathId(ctx));
    confirm(ctx.emu, pi, p, ctx.origin);
    return render(ctx.emu.store, pi, p.expand());
  });
  router.post('/v1/payment_intents/:id/cancel', (ctx) => {
    const p = params(ctx, P.PaymentIntentCancel);
    const pi = ctx.emu.store.require('payment_intent', pathId(ctx));
    if (['succeeded', 'canceled', 'processing'].includes(pi.status)) {
      throw invalidRequest(
        `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`,
        'payment_intent',
        'payment_intent_unexpected_state',
      );
    }
    pi.status = 'canceled';
    pi.canceled_at = ctx.emu.now();
    pi.cancellation_reason =
      (p.str('cancellation_reason') as Stripe.PaymentIntent.CancellationReason | undefined) ?? null;
    ctx.emu.store.touch();
    ctx.emu.emit('payment_intent.canceled', pi, ctx.origin);
    return render(ctx.emu.store, pi, p.expand());
  });
  router.get('/v1/payment_intents', (ctx) => {
    const p = params(ctx, P.PaymentIntentList);
    const customer = p.str('customer');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('payment_intent')
      .reverse()
      .filter((x) => !customer || x.customer === customer)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/payment_intents'), p.expand());
  });
}
