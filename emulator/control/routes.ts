// Control endpoints under /_emulator: drive time and trouble the way a customer, a bank, a card
// network or a colleague in Stripe's Dashboard would. JSON in, JSON out.
import { STRIPE_ITSELF, type Origin } from '../emulator.ts';
import { PAY_OUTCOMES, expireSession, payCheckoutSession, settlePayment } from '../flows/checkout.ts';
import { createEarlyFraudWarning, DISPUTE_REASONS, openDispute, resolveDispute } from '../flows/disputes.ts';
import { createRefund } from '../flows/refunds.ts';
import {
  advanceSubscription,
  cancelSubscriptionNow,
  retryInvoice,
  scheduleCancel,
} from '../flows/subscription-lifecycle.ts';
import { Router } from '../http/router.ts';
import { newRequestId, newUuid } from '../ids.ts';
import { invalidRequest } from '../wire/errors.ts';
import { render } from '../wire/render.ts';
import { oneOf, optBool, optNumber, optString, type ControlHandler } from './context.ts';
import { registerEventControls } from './events.ts';
import { registerWebhookControls } from './webhooks.ts';

function dashboardOrigin(): Origin {
  // Dashboard actions are API requests made by Stripe's own UI: a request id and its own key.
  return { id: newRequestId(), idempotency_key: newUuid() };
}

export function controlRouter(): Router<ControlHandler> {
  const r = new Router<ControlHandler>();

  r.get('/_emulator/health', ({ emu }) => ({ ok: true, url: emu.baseUrl, counts: emu.store.counts() }));
  r.post('/_emulator/reset', async ({ emu }) => {
    emu.reset();
    // Answer once requests already on the wire have landed, so nothing from before the reset
    // reaches a receiver after it (tests reset their receiver right after this).
    await emu.webhooks.waitForIdle(false, 5_000);
    return { ok: true };
  });

  r.post('/_emulator/checkout/sessions/:id/pay', ({ emu, body, path }) => {
    const outcome = oneOf(body, 'outcome', PAY_OUTCOMES);
    const settle = body.settle_after_seconds;
    if (settle !== undefined && settle !== null && typeof settle !== 'number') {
      throw invalidRequest('settle_after_seconds must be a number or null', 'settle_after_seconds');
    }
    const card = body.card as { last4?: string; brand?: string; fingerprint?: string } | undefined;
    const res = payCheckoutSession(emu, path.id as string, outcome, {
      email: optString(body, 'email'),
      name: optString(body, 'name'),
      settleAfterSeconds: settle as number | null | undefined,
      card,
    });
    const s = emu.store;
    return {
      session: render(s, res.session),
      payment_intent: res.payment_intent && render(s, res.payment_intent),
      charge: res.charge && render(s, res.charge),
      subscription: res.subscription && render(s, res.subscription),
      invoice: res.invoice && render(s, res.invoice),
      customer: res.customer && render(s, res.customer),
      error: res.error,
    };
  });
  r.post('/_emulator/checkout/sessions/:id/expire', ({ emu, path }) => {
    const s = emu.store.require('checkout.session', path.id as string);
    return render(emu.store, expireSession(emu, s, STRIPE_ITSELF));
  });
  r.post('/_emulator/payment_intents/:id/settle', ({ emu, body, path }) => {
    const outcome = oneOf(body, 'outcome', ['succeeded', 'failed'] as const);
    return render(emu.store, settlePayment(emu, path.id as string, outcome));
  });

  r.post('/_emulator/subscriptions/:id/advance', ({ emu, body, path }) => {
    const outcome = oneOf(body, 'outcome', ['paid', 'failed'] as const, 'paid');
    const sub = emu.store.require('subscription', path.id as string);
    const { invoice } = advanceSubscription(emu, sub, outcome);
    return { subscription: render(emu.store, sub), invoice: invoice && render(emu.store, invoice, ['payments']) };
  });
  r.post('/_emulator/subscriptions/:id/cancel', ({ emu, body, path }) => {
    const sub = emu.store.require('subscription', path.id as string);
    if (optBool(body, 'at_period_end')) scheduleCancel(emu, sub, true, dashboardOrigin());
    else {
      const reason = oneOf(
        body,
        'reason',
        ['cancellation_requested', 'payment_failed', 'payment_disputed'] as const,
        'cancellation_requested',
      );
      cancelSubscriptionNow(emu, sub, reason === 'cancellation_requested' ? dashboardOrigin() : STRIPE_ITSELF, reason, {
        comment: optString(body, 'comment') ?? null,
      });
    }
    return render(emu.store, sub);
  });
  r.post('/_emulator/invoices/:id/retry', ({ emu, body, path }) => {
    const outcome = oneOf(body, 'outcome', ['paid', 'failed'] as const, 'paid');
    const inv = emu.store.require('invoice', path.id as string);
    return render(emu.store, retryInvoice(emu, inv, outcome, STRIPE_ITSELF), ['payments']);
  });

  r.post('/_emulator/charges/:id/dispute', ({ emu, body, path }) => {
    const ch = emu.store.require('charge', path.id as string);
    const reason = oneOf(body, 'reason', DISPUTE_REASONS, 'fraudulent');
    return render(
      emu.store,
      openDispute(emu, ch, { reason, amount: optNumber(body, 'amount'), inquiry: optBool(body, 'inquiry') }),
    );
  });
  r.post('/_emulator/disputes/:id/close', ({ emu, body, path }) => {
    const outcome = oneOf(body, 'outcome', ['won', 'lost'] as const);
    const d = emu.store.require('dispute', path.id as string);
    return render(emu.store, resolveDispute(emu, d, outcome, STRIPE_ITSELF));
  });
  r.post('/_emulator/charges/:id/early_fraud_warning', ({ emu, body, path }) => {
    const ch = emu.store.require('charge', path.id as string);
    return render(
      emu.store,
      createEarlyFraudWarning(emu, ch, optString(body, 'fraud_type') ?? 'made_with_stolen_card'),
    );
  });
  r.post('/_emulator/charges/:id/refund', ({ emu, body, path }) => {
    const ch = emu.store.require('charge', path.id as string);
    const reason =
      body.reason === undefined
        ? null
        : oneOf(body, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const);
    const refund = createRefund(
      emu,
      {
        charge: ch,
        amount: optNumber(body, 'amount'),
        reason,
        metadata: (body.metadata as Record<string, string>) ?? {},
      },
      dashboardOrigin(),
    );
    return render(emu.store, refund);
  });

  registerWebhookControls(r);
  registerEventControls(r);

  return r;
}
