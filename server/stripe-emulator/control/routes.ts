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
import { newRequestId, newUuid, newWebhookSecret } from '../ids.ts';
import type { ApiFaultSpec, WebhookFaultSpec } from '../webhooks/faults.ts';
import { invalidRequest } from '../wire/errors.ts';
import { render } from '../wire/render.ts';
import { oneOf, optBool, optNumber, optString, type ControlHandler } from './context.ts';

function dashboardOrigin(): Origin {
  // Dashboard actions are API requests made by Stripe's own UI: a request id and its own key.
  return { id: newRequestId(), idempotency_key: newUuid() };
}

function cleanFault(
  body: Record<string, unknown>,
): (WebhookFaultSpec & { target?: 'webhook' }) | (ApiFaultSpec & { target: 'api' }) {
  const target = oneOf(body, 'target', ['webhook', 'api'] as const, 'webhook');
  if (target === 'api') {
    const match = body.match as ApiFaultSpec['match'] | undefined;
    if (!match || typeof match.path !== 'string')
      throw invalidRequest('API faults need match.path (e.g. "/v1/refunds")', 'match');
    return {
      target,
      match,
      latency_ms: optNumber(body, 'latency_ms'),
      fail: body.fail as ApiFaultSpec['fail'],
      times: optNumber(body, 'times'),
    };
  }
  const spec: WebhookFaultSpec & { target: 'webhook' } = {
    target,
    match: (body.match as WebhookFaultSpec['match']) ?? {},
    drop_first: optNumber(body, 'drop_first'),
    delay_seconds: optNumber(body, 'delay_seconds'),
    duplicate: optNumber(body, 'duplicate'),
    reorder: optNumber(body, 'reorder'),
    reorder_window_seconds: optNumber(body, 'reorder_window_seconds'),
    down: optBool(body, 'down'),
    respond_slowly: optNumber(body, 'respond_slowly'),
    suppress: optBool(body, 'suppress'),
  };
  const m = spec.match ?? {};
  if (spec.reorder && (m.event || m.type))
    throw invalidRequest('reorder applies to a whole endpoint; match.endpoint only', 'reorder');
  return spec;
}

export function controlRouter(): Router<ControlHandler> {
  const r = new Router<ControlHandler>();

  r.get('/_emulator/health', ({ emu }) => ({ ok: true, url: emu.baseUrl, counts: emu.store.counts() }));
  r.post('/_emulator/reset', ({ emu }) => {
    emu.reset();
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

  r.get('/_emulator/faults', ({ emu }) => ({ data: emu.faults.all() }));
  r.post('/_emulator/faults', ({ emu, body }) => emu.faults.add(cleanFault(body)));
  r.delete('/_emulator/faults/:id', ({ emu, path }) => ({ deleted: emu.faults.remove(path.id as string) }));
  r.delete('/_emulator/faults', ({ emu }) => {
    emu.faults.clear();
    return { ok: true };
  });

  r.get('/_emulator/deliveries', ({ emu, query }) => ({
    data: emu.webhooks.list({
      event: query.get('event') ?? undefined,
      endpoint: query.get('endpoint') ?? undefined,
      status: query.get('status') ?? undefined,
      type: query.get('type') ?? undefined,
    }),
  }));
  r.post('/_emulator/deliveries/flush', async ({ emu, body }) => {
    let flushed = 0;
    // Retries that fail again schedule new retries; keep flushing until nothing is left.
    for (let round = 0; round < 20; round++) {
      const n = emu.webhooks.flush();
      flushed += n;
      await emu.webhooks.waitForIdle(false, optNumber(body, 'timeout_ms') ?? 15_000);
      if (n === 0) break;
    }
    return { flushed, idle: emu.webhooks.isIdle(true) };
  });
  r.post('/_emulator/deliveries/wait', async ({ emu, body }) => ({
    idle: await emu.webhooks.waitForIdle(
      optBool(body, 'include_scheduled') ?? false,
      optNumber(body, 'timeout_ms') ?? 15_000,
    ),
  }));
  r.post('/_emulator/events/:id/resend', ({ emu, body, path }) => {
    emu.store.require('event', path.id as string);
    return { data: emu.webhooks.resend(path.id as string, optString(body, 'endpoint')) };
  });

  r.get('/_emulator/webhook_endpoints/:id/secrets', ({ emu, path }) => {
    emu.store.require('webhook_endpoint', path.id as string);
    return { secrets: emu.webhooks.activeSecrets(path.id as string) };
  });
  r.post('/_emulator/webhook_endpoints/:id/roll_secret', ({ emu, body, path }) => {
    emu.store.require('webhook_endpoint', path.id as string);
    const keepOld = optNumber(body, 'expire_old_in_seconds') ?? 86_400;
    const now = emu.now();
    const secrets = (emu.store.webhookSecrets.get(path.id as string) ?? []).map((s) => ({
      secret: s.secret,
      expiresAt: s.expiresAt === null ? now + keepOld : s.expiresAt,
    }));
    const secret = newWebhookSecret();
    emu.store.webhookSecrets.set(path.id as string, [{ secret, expiresAt: null }, ...secrets]);
    emu.store.touch();
    return { secret, secrets: emu.webhooks.activeSecrets(path.id as string) };
  });

  return r;
}
