// The hosted Checkout page at a session's `url`. A "customer" picks a test payment method and
// pays; the POST runs the same flow as the control endpoint, then redirects to success_url.
import type Stripe from 'stripe';
import { checkoutFormToken } from '../control/control-token.ts';
import type { Emulator } from '../emulator.ts';
import { PAY_OUTCOMES, type PayOutcome } from '../flows/checkout.ts';
import { esc, money, page } from './html.ts';

const METHODS: Array<{ outcome: PayOutcome; label: string; hint: string }> = [
  { outcome: 'card_success', label: 'Card •••• 4242', hint: 'succeeds' },
  { outcome: 'card_declined', label: 'Card •••• 0002', hint: 'declined by the bank' },
  { outcome: 'delayed_success', label: 'SEPA Direct Debit', hint: 'delayed, then succeeds' },
  { outcome: 'delayed_failure', label: 'SEPA Direct Debit', hint: 'delayed, then fails' },
];

export function isPayOutcome(v: unknown): v is PayOutcome {
  return typeof v === 'string' && (PAY_OUTCOMES as readonly string[]).includes(v);
}

export function successRedirect(session: Stripe.Checkout.Session): string | null {
  return session.success_url ? session.success_url.replace('{CHECKOUT_SESSION_ID}', session.id) : null;
}

export function renderCheckoutPage(
  emu: Emulator,
  session: Stripe.Checkout.Session,
  error: string | null = null,
): string {
  const items = emu.store.sessionLineItems.get(session.id) ?? [];
  if (session.status !== 'open') {
    const done = session.status === 'complete';
    return page(
      'Checkout',
      `<div class="card" data-testid="checkout-closed"><h1>${done ? 'Payment received' : 'This checkout session has expired'}</h1>
       <p class="muted">${esc(session.id)} · ${esc(session.status)} · payment ${esc(session.payment_status)}</p>
       ${done && successRedirect(session) ? `<p><a href="${esc(successRedirect(session))}">Return to the merchant</a></p>` : ''}</div>`,
    );
  }
  const customer = typeof session.customer === 'string' ? emu.store.get('customer', session.customer) : undefined;
  const email = session.customer_email ?? customer?.email ?? '';
  const rows = items
    .map(
      (i) =>
        `<tr><td>${esc(i.description)}${i.price?.recurring ? ` <span class="muted">/ ${esc(i.price.recurring.interval)}</span>` : ''}</td><td>× ${esc(i.quantity)}</td><td>${esc(money(i.amount_total, i.currency))}</td></tr>`,
    )
    .join('');
  const methods = METHODS.map(
    (m, idx) =>
      `<label class="method"><input type="radio" name="outcome" value="${m.outcome}" data-testid="method-${m.outcome}" ${idx === 0 ? 'checked' : ''}> ${esc(m.label)} <span class="muted">— ${esc(m.hint)}</span></label>`,
  ).join('');
  const verb = session.mode === 'subscription' ? 'Subscribe' : 'Pay';
  return page(
    'Checkout',
    `<div class="card" data-testid="checkout-page">
      <p class="muted">Stripe emulator · test mode</p>
      <h1>${verb} ${esc(money(session.amount_total, session.currency))}</h1>
      <table><tbody>${rows}</tbody></table>
      ${error ? `<p class="error" role="alert" data-testid="checkout-error">${esc(error)}</p>` : ''}
      <form method="post" action="/c/pay/${esc(session.id)}">
        <input type="hidden" name="form_token" value="${esc(checkoutFormToken(emu.config.controlToken, session.id))}">
        <p><label>Email<br><input type="email" name="email" value="${esc(email)}" ${customer ? 'readonly' : ''} required data-testid="checkout-email"></label></p>
        <p><label>Name<br><input type="text" name="name" value="${esc(customer?.name ?? '')}" data-testid="checkout-name"></label></p>
        <fieldset style="border:0;padding:0"><legend>Payment method</legend>${methods}</fieldset>
        <p><button type="submit" data-testid="checkout-submit">${verb}</button>
        ${session.cancel_url ? ` <a href="${esc(session.cancel_url)}" data-testid="checkout-cancel">Cancel</a>` : ''}</p>
      </form>
    </div>`,
  );
}
