// A typed client for the emulator's control endpoints, for tests, e2e fixtures and the demo
// seed. It talks HTTP only, so it works against an emulator in another process too.
import type Stripe from 'stripe';
import { CONTROL_TOKEN_HEADER, controlTokenFor } from './control/control-token.ts';
import type { PayOutcome } from './flows/checkout.ts';
import type { Delivery } from './webhooks/deliverer.ts';
import type { ApiFault, ApiFaultSpec, Fault, WebhookFault, WebhookFaultSpec } from './webhooks/faults.ts';

export type { Delivery, DeliveryAttempt } from './webhooks/deliverer.ts';
export type { ApiFault, ApiFaultSpec, Fault, WebhookFault, WebhookFaultSpec } from './webhooks/faults.ts';
export type { PayOutcome } from './flows/checkout.ts';

export interface PayResult {
  session: Stripe.Checkout.Session;
  payment_intent: Stripe.PaymentIntent | null;
  charge: Stripe.Charge | null;
  subscription: Stripe.Subscription | null;
  invoice: Stripe.Invoice | null;
  customer: Stripe.Customer | null;
  /** Set when the payment was declined; the session stays open. */
  error: string | null;
}

export interface PayOptions {
  email?: string;
  name?: string;
  /** Delayed methods: emulated seconds until settlement; 0 = at once (default); null = only via settlePayment. */
  settleAfterSeconds?: number | null;
  card?: { last4?: string; brand?: string; fingerprint?: string };
}

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    const msg = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${status}`;
    super(`Stripe emulator: ${msg}`);
    this.name = 'EmulatorError';
  }
}

export class EmulatorDriver {
  readonly baseUrl: string;
  private readonly controlToken: string | undefined;

  /** `controlToken` defaults to the token of the emulator at that URL in this process, else STRIPE_EMULATOR_CONTROL_TOKEN. */
  constructor(baseUrl: string, controlToken?: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.controlToken = controlToken ?? controlTokenFor(this.baseUrl);
  }

  /** The driver for the emulator a `stripe` client points at (host/port/protocol options). */
  static fromStripe(client: Stripe, controlToken?: string): EmulatorDriver {
    const host = client.getApiField('host');
    const port = client.getApiField('port');
    const protocol = client.getApiField('protocol');
    return new EmulatorDriver(`${protocol}://${host}:${port}`, controlToken);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.controlToken ? { [CONTROL_TOKEN_HEADER]: this.controlToken } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text ? JSON.parse(text) : null;
    if (!res.ok) throw new EmulatorError(res.status, parsed);
    return parsed as T;
  }

  health(): Promise<{ ok: boolean; url: string; counts: Record<string, number> }> {
    return this.call('GET', '/_emulator/health');
  }

  /** Forgets every object, event, delivery and fault. */
  reset(): Promise<{ ok: boolean }> {
    return this.call('POST', '/_emulator/reset', {});
  }

  /** What the customer does on the hosted page: pay with a card (ok / declined) or a delayed method. */
  payCheckoutSession(id: string, outcome: PayOutcome, opts: PayOptions = {}): Promise<PayResult> {
    return this.call('POST', `/_emulator/checkout/sessions/${id}/pay`, {
      outcome,
      email: opts.email,
      name: opts.name,
      settle_after_seconds: opts.settleAfterSeconds,
      card: opts.card,
    });
  }

  expireCheckoutSession(id: string): Promise<Stripe.Checkout.Session> {
    return this.call('POST', `/_emulator/checkout/sessions/${id}/expire`, {});
  }

  /** The bank's answer for a delayed (processing) payment. */
  settlePayment(paymentIntentId: string, outcome: 'succeeded' | 'failed'): Promise<Stripe.PaymentIntent> {
    return this.call('POST', `/_emulator/payment_intents/${paymentIntentId}/settle`, { outcome });
  }

  /** Ends the current period: a renewal invoice paid or failed (or the cancellation, if scheduled). */
  advanceSubscription(
    id: string,
    opts: { outcome?: 'paid' | 'failed' } = {},
  ): Promise<{ subscription: Stripe.Subscription; invoice: Stripe.Invoice | null }> {
    return this.call('POST', `/_emulator/subscriptions/${id}/advance`, { outcome: opts.outcome ?? 'paid' });
  }

  /** Cancels now (customer.subscription.deleted) or at period end (customer.subscription.updated). */
  cancelSubscription(
    id: string,
    opts: {
      atPeriodEnd?: boolean;
      reason?: 'cancellation_requested' | 'payment_failed' | 'payment_disputed';
      comment?: string;
    } = {},
  ): Promise<Stripe.Subscription> {
    return this.call('POST', `/_emulator/subscriptions/${id}/cancel`, {
      at_period_end: opts.atPeriodEnd,
      reason: opts.reason,
      comment: opts.comment,
    });
  }

  /** Another attempt on an open invoice (Smart Retries). */
  retryInvoice(id: string, outcome: 'paid' | 'failed' = 'paid'): Promise<Stripe.Invoice> {
    return this.call('POST', `/_emulator/invoices/${id}/retry`, { outcome });
  }

  openDispute(
    chargeId: string,
    reason: string = 'fraudulent',
    opts: { amount?: number; inquiry?: boolean } = {},
  ): Promise<Stripe.Dispute> {
    return this.call('POST', `/_emulator/charges/${chargeId}/dispute`, { reason, ...opts });
  }

  /** The bank's decision. */
  closeDispute(id: string, outcome: 'won' | 'lost'): Promise<Stripe.Dispute> {
    return this.call('POST', `/_emulator/disputes/${id}/close`, { outcome });
  }

  createEarlyFraudWarning(chargeId: string, fraudType?: string): Promise<Stripe.Radar.EarlyFraudWarning> {
    return this.call('POST', `/_emulator/charges/${chargeId}/early_fraud_warning`, { fraud_type: fraudType });
  }

  /** A refund made by someone in Stripe's Dashboard, outside the app. */
  refundFromDashboard(
    chargeId: string,
    amount?: number,
    opts: { reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer'; metadata?: Record<string, string> } = {},
  ): Promise<Stripe.Refund> {
    return this.call('POST', `/_emulator/charges/${chargeId}/refund`, { amount, ...opts });
  }

  setFault(spec: WebhookFaultSpec): Promise<WebhookFault>;
  setFault(spec: ApiFaultSpec & { target: 'api' }): Promise<ApiFault>;
  setFault(spec: WebhookFaultSpec | (ApiFaultSpec & { target: 'api' })): Promise<Fault> {
    return this.call('POST', '/_emulator/faults', spec);
  }

  /**
   * Never deliver matching events (they stay pending: `delivery_success=false` finds them).
   * Pass an event id, an event type (`checkout.session.completed`, `charge.*`), or match fields,
   * e.g. `{ type: 'checkout.session.completed', object: session.id }` before paying a session.
   */
  suppressEvent(what: string | NonNullable<WebhookFaultSpec['match']>): Promise<WebhookFault> {
    const match = typeof what !== 'string' ? what : what.startsWith('evt_') ? { event: what } : { type: what };
    return this.setFault({ match, suppress: true });
  }

  listFaults(): Promise<{ data: Fault[] }> {
    return this.call('GET', '/_emulator/faults');
  }

  removeFault(id: string): Promise<{ deleted: boolean }> {
    return this.call('DELETE', `/_emulator/faults/${id}`);
  }

  clearFaults(): Promise<{ ok: boolean }> {
    return this.call('DELETE', '/_emulator/faults');
  }

  async listDeliveries(
    filter: { event?: string; endpoint?: string; status?: string; type?: string } = {},
  ): Promise<Delivery[]> {
    const q = new URLSearchParams(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const res = await this.call<{ data: Delivery[] }>('GET', `/_emulator/deliveries${q.size ? `?${q}` : ''}`);
    return res.data;
  }

  /**
   * Runs every scheduled retry now, skipping the backoff, until nothing is left to send (time
   * fast-forwarded through the whole schedule). With `once`, each waiting delivery gets exactly
   * one more attempt.
   */
  flushDeliveries(opts: { once?: boolean } = {}): Promise<{ flushed: number; idle: boolean }> {
    return this.call('POST', '/_emulator/deliveries/flush', { once: opts.once });
  }

  /** Waits until nothing is being sent (and, with includeScheduled, no retry is pending). */
  async waitForIdle(opts: { includeScheduled?: boolean; timeoutMs?: number } = {}): Promise<boolean> {
    const res = await this.call<{ idle: boolean }>('POST', '/_emulator/deliveries/wait', {
      include_scheduled: opts.includeScheduled,
      timeout_ms: opts.timeoutMs,
    });
    return res.idle;
  }

  /** The Dashboard's "Resend" for an event. */
  async resendEvent(eventId: string, endpointId?: string): Promise<Delivery[]> {
    const res = await this.call<{ data: Delivery[] }>('POST', `/_emulator/events/${eventId}/resend`, {
      endpoint: endpointId,
    });
    return res.data;
  }

  /** Moves an event `seconds` into the past (older than 30 days: Stripe no longer lists it). */
  ageEvent(eventId: string, seconds: number): Promise<Stripe.Event> {
    return this.call('POST', `/_emulator/events/${eventId}/age`, { seconds });
  }

  async webhookSecrets(endpointId: string): Promise<string[]> {
    const res = await this.call<{ secrets: string[] }>('GET', `/_emulator/webhook_endpoints/${endpointId}/secrets`);
    return res.secrets;
  }

  /** Rolls the signing secret; the old one keeps signing for `expireOldInSeconds` (default 24 h). */
  rollWebhookSecret(endpointId: string, expireOldInSeconds?: number): Promise<{ secret: string; secrets: string[] }> {
    return this.call('POST', `/_emulator/webhook_endpoints/${endpointId}/roll_secret`, {
      expire_old_in_seconds: expireOldInSeconds,
    });
  }
}
