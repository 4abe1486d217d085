// Timeline items from the billing mirror: Stripe events (with their deliveries and processing
// attempts), payments and invoices, subscriptions, refunds and disputes.
import type { TimelineItem, TimelineStep } from '../../../contracts/support.ts';
import type { Row } from './load-rows.ts';
import { RANK } from './ranks.ts';
import { statusLabel } from '../../../contracts/status-words.ts';
import { date, num, optDate, optStr, str } from './row.ts';
import { boughtWords, planWords, type CatalogNames } from '../../../contracts/catalog-names.ts';
import { disputeTone, eventTone, isChainId, paymentTone, refundTone, subscriptionTone } from './words.ts';

export type Draft = Omit<TimelineItem, 'chain'> & { rank: number };

const join = (parts: Array<string | number | null | false | undefined>, sep = ', ') => parts.filter(Boolean).join(sep);

/** The Stripe ids an event's object names: itself and what it points to. */
function eventStripeIds(objectId: string | null, payload: unknown): string[] {
  const object = ((payload as { data?: { object?: Record<string, unknown> } } | null)?.data?.object ?? {}) as Record<
    string,
    unknown
  >;
  const ids = new Set<string>();
  if (isChainId(objectId)) ids.add(objectId);
  for (const key of ['payment_intent', 'charge', 'invoice', 'subscription', 'latest_charge', 'checkout_session']) {
    const v = object[key];
    const id = typeof v === 'string' ? v : (v as { id?: unknown } | null)?.id;
    if (isChainId(id)) ids.add(id);
  }
  return [...ids];
}

const DELIVERY_WORDS: Record<string, string> = {
  webhook: 'Delivered by Stripe',
  reconciliation: 'Fetched by reconciliation',
  manual: 'Fetched from Stripe by staff',
};

export interface EventSteps {
  steps: TimelineStep[];
  /** What the last processing attempt did or said. */
  summary: string | null;
}

export function eventSteps(deliveries: Row[], attempts: Row[]): Map<string, EventSteps> {
  const out = new Map<string, EventSteps>();
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { steps: [], summary: null }));
    return e;
  };
  for (const d of [...deliveries].sort((a, b) => num(a, 'id') - num(b, 'id'))) {
    const source = str(d, 'source');
    const outcome = str(d, 'outcome');
    entry(str(d, 'event_id')).steps.push({
      at: date(d, 'received_at'),
      label: d.duplicate ? `${DELIVERY_WORDS[source] ?? source} again (duplicate)` : (DELIVERY_WORDS[source] ?? source),
      tone: outcome === 'stored' || outcome === 'duplicate' || outcome.startsWith('2') ? 'neutral' : 'warning',
      detail: `${outcome}${d.duration_ms != null ? `, answered in ${num(d, 'duration_ms')} ms` : ''}`,
    });
  }
  for (const a of [...attempts].sort((x, y) => num(x, 'id') - num(y, 'id'))) {
    const e = entry(str(a, 'event_id'));
    const outcome = str(a, 'outcome');
    const error = optStr(a, 'error');
    const summary = optStr(a, 'summary');
    e.steps.push({
      at: date(a, 'started_at'),
      label: `${outcome === 'error' ? 'Processing error' : `Processing: ${outcome}`}${a.actor_id ? ' (run by staff)' : ''}`,
      tone: eventTone(outcome === 'error' ? 'failed' : outcome),
      detail: error ?? summary,
    });
    e.summary = summary ?? (error ? `Error: ${error}` : e.summary);
  }
  for (const e of out.values()) e.steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  return out;
}

export function eventItem(r: Row, steps: EventSteps | undefined, unlinked: boolean): Draft {
  const status = str(r, 'status');
  const lastError = optStr(r, 'last_error');
  // A processed event says what it did; an unfinished one shows its error.
  const said = status === 'processed' ? (steps?.summary ?? null) : lastError ? `Error: ${lastError}` : null;
  return {
    key: `event:${str(r, 'id')}`,
    kind: 'event',
    rank: RANK.event,
    at: date(r, 'created'),
    id: str(r, 'id'),
    title: str(r, 'type'),
    summary: join(
      [unlinked && 'Not linked to a customer yet (matched by its user id, Stripe customer or email)', said],
      '. ',
    ),
    tone: eventTone(status),
    status: statusLabel('event', status),
    credits: null,
    amount: null,
    stripeIds: eventStripeIds(optStr(r, 'object_id'), r.payload),
    steps: steps?.steps ?? [],
    raw: r.payload,
  };
}

export function paymentItem(p: Row, names: CatalogNames): Draft {
  const status = str(p, 'status');
  const amount = num(p, 'amount');
  const currency = str(p, 'currency');
  const granted = num(p, 'credits_granted');
  const refunded = num(p, 'amount_refunded');
  const bought = boughtWords(names, { kind: str(p, 'kind'), catalogKey: optStr(p, 'catalog_key') });
  const invoice = optStr(p, 'invoice_id');
  return {
    key: `payment:${str(p, 'id')}`,
    kind: invoice ? 'invoice' : 'payment',
    rank: RANK.payment,
    at: date(p, 'created_at'),
    id: str(p, 'id'),
    title: `${invoice ? 'Invoice' : 'Payment'}${bought ? ` for ${bought}` : ''}`,
    summary: join([
      `{{money ${amount} ${currency}}} ${statusLabel('payment', status)}`,
      granted ? `{{credits ${granted}}} credits granted` : status === 'paid' ? 'no credits granted' : null,
      refunded ? `{{money ${refunded} ${currency}}} refunded` : null,
    ]),
    tone: paymentTone(status),
    status: statusLabel('payment', status),
    credits: granted || null,
    amount: { minor: amount, currency },
    stripeIds: ['checkout_session_id', 'invoice_id', 'payment_intent_id', 'charge_id', 'subscription_id']
      .map((k) => p[k])
      .filter(isChainId),
    steps: [],
    raw: p,
  };
}

export function subscriptionItem(s: Row, names: CatalogNames): Draft {
  const status = str(s, 'status');
  const plan = optStr(s, 'plan_key');
  const periodEnd = optDate(s, 'current_period_end');
  const grace = optDate(s, 'grace_until');
  return {
    key: `subscription:${str(s, 'id')}`,
    kind: 'subscription',
    rank: RANK.subscription,
    at: date(s, 'created_at'),
    id: str(s, 'id'),
    title: `Subscription${plan ? ` to ${planWords(names, plan)}` : ''}`,
    summary: join([
      `now ${statusLabel('subscription', status)}`,
      periodEnd && `period ends {{date ${periodEnd.toISOString()}}}`,
      s.cancel_at_period_end === true && 'cancels at period end',
      grace && `payment failed: grace until {{at ${grace.toISOString()}}}`,
    ]),
    tone: subscriptionTone(status),
    status: statusLabel('subscription', status),
    credits: null,
    amount: null,
    stripeIds: [str(s, 'id')],
    steps: [],
    raw: s,
  };
}

const paymentChain = (r: Row) => ['p_cs', 'p_in', 'p_pi', 'p_ch'].map((k) => r[k]);

export function refundItem(r: Row): Draft {
  const status = str(r, 'status');
  const clawed = num(r, 'credits_clawed_back');
  const reason = optStr(r, 'reason');
  const error = optStr(r, 'error');
  return {
    key: `refund:${str(r, 'id')}`,
    kind: 'refund',
    rank: RANK.refund,
    at: date(r, 'created_at'),
    id: str(r, 'id'),
    title: str(r, 'origin') === 'stripe_dashboard' ? 'Refund (from the Stripe dashboard)' : 'Refund',
    summary: join([
      `{{money ${num(r, 'amount')} ${str(r, 'currency')}}} ${statusLabel('refund', status)}`,
      clawed && `{{credits ${clawed}}} credits clawed back`,
      reason && `reason: ${reason}`,
      error && `error: ${error}`,
    ]),
    tone: refundTone(status),
    status: statusLabel('refund', status),
    credits: clawed ? -clawed : null,
    amount: { minor: num(r, 'amount'), currency: str(r, 'currency') },
    stripeIds: [r.stripe_refund_id, ...paymentChain(r)].filter(isChainId),
    steps: [],
    raw: r,
  };
}

export function disputeItem(d: Row): Draft {
  const status = str(d, 'status');
  const frozen = num(d, 'frozen_credits');
  const due = optDate(d, 'evidence_due_by');
  const submitted = d.submitted_at != null;
  return {
    key: `dispute:${str(d, 'id')}`,
    kind: 'dispute',
    rank: RANK.dispute,
    at: date(d, 'stripe_created'),
    id: str(d, 'id'),
    title: `Dispute (${str(d, 'reason').replaceAll('_', ' ')})`,
    summary: join([
      `{{money ${num(d, 'amount')} ${str(d, 'currency')}}} ${statusLabel('dispute', status)}`,
      frozen && `{{credits ${frozen}}} credits frozen`,
      due && !submitted && `evidence due {{date ${due.toISOString()}}}`,
      submitted && 'evidence submitted',
    ]),
    tone: disputeTone(status),
    status: statusLabel('dispute', status),
    credits: frozen ? -frozen : null,
    amount: { minor: num(d, 'amount'), currency: str(d, 'currency') },
    stripeIds: [d.id, d.charge_id, ...paymentChain(d)].filter(isChainId),
    steps: [],
    raw: d,
  };
}
