// "Stripe's side" for demos: the objects, events and webhook deliveries the emulator holds.
import type { Emulator } from '../emulator.ts';
import type { TypeName } from '../store.ts';
import { esc, money, page, time } from './html.ts';

const LIMIT = 50;

function table(headers: string[], rows: string[][]): string {
  if (!rows.length) return '<p class="muted">None yet.</p>';
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function pill(text: string, kind: 'ok' | 'bad' | 'warn' | '' = ''): string {
  return `<span class="pill ${kind}">${esc(text)}</span>`;
}

function statusKind(s: string): 'ok' | 'bad' | 'warn' | '' {
  if (['succeeded', 'paid', 'active', 'complete', 'won'].includes(s)) return 'ok';
  if (['failed', 'lost', 'canceled', 'past_due', 'expired', 'suppressed', 'needs_response'].includes(s)) return 'bad';
  if (['pending', 'processing', 'open', 'incomplete', 'under_review', 'unpaid'].includes(s)) return 'warn';
  return '';
}

function section(
  emu: Emulator,
  type: TypeName,
  title: string,
  cols: Array<[string, (o: Record<string, unknown>) => string]>,
): string {
  const all = emu.store.all(type) as unknown as Array<Record<string, unknown>>;
  const rows = all
    .slice(-LIMIT)
    .reverse()
    .map((o) => [`<code>${esc(o.id)}</code>`, ...cols.map(([, f]) => f(o)), esc(time(o.created as number))]);
  return `<h2 id="${esc(type)}">${esc(title)} <span class="muted">(${all.length})</span></h2>${table(['id', ...cols.map(([h]) => h), 'created'], rows)}`;
}

export function renderDashboard(emu: Emulator): string {
  const s = (v: unknown): string => esc(v);
  const st = (o: Record<string, unknown>): string => pill(String(o.status), statusKind(String(o.status)));
  const deliveries = emu.webhooks.list().slice(0, 100);
  const faults = emu.faults.all();
  const body = `
  <h1>Stripe emulator <span class="muted">${esc(emu.baseUrl)}</span></h1>
  <nav><a href="#event">Events</a><a href="#deliveries">Deliveries</a><a href="#faults">Faults</a><a href="#customer">Customers</a>
  <a href="#checkout.session">Checkout</a><a href="#payment_intent">Payments</a><a href="#subscription">Subscriptions</a>
  <a href="#invoice">Invoices</a><a href="#refund">Refunds</a><a href="#dispute">Disputes</a></nav>
  ${section(emu, 'event', 'Events', [
    ['type', (o) => s(o.type)],
    ['object', (o) => `<code>${s((o.data as { object: { id?: string } }).object.id)}</code>`],
    ['pending webhooks', (o) => (o.pending_webhooks ? pill(String(o.pending_webhooks), 'warn') : pill('0', 'ok'))],
    ['idempotency key', (o) => `<code>${s((o.request as { idempotency_key: string | null }).idempotency_key)}</code>`],
  ])}
  <h2 id="deliveries">Webhook deliveries <span class="muted">(latest ${deliveries.length})</span></h2>
  ${table(
    ['event', 'type', 'endpoint', 'status', 'attempts', 'last result', 'next attempt'],
    deliveries.map((d) => {
      const last = d.attempts.at(-1);
      return [
        `<code>${s(d.event)}</code>`,
        s(d.event_type),
        `<code>${s(d.endpoint)}</code>`,
        pill(d.status, statusKind(d.status)),
        s(d.attempts.length),
        last ? s(`${last.http_status ?? '-'} ${last.error ?? ''} ${last.fault ? `(fault: ${last.fault})` : ''}`) : '',
        d.next_attempt_at ? s(new Date(d.next_attempt_at).toISOString().slice(11, 19)) : '',
      ];
    }),
  )}
  <h2 id="faults">Active faults</h2>
  ${table(
    ['id', 'target', 'spec'],
    faults.map((f) => [`<code>${s(f.id)}</code>`, s(f.target), `<code>${s(JSON.stringify(f))}</code>`]),
  )}
  ${section(emu, 'webhook_endpoint', 'Webhook endpoints', [
    ['url', (o) => s(o.url)],
    ['status', st],
  ])}
  ${section(emu, 'customer', 'Customers', [
    ['email', (o) => s(o.email)],
    ['name', (o) => s(o.name)],
  ])}
  ${section(emu, 'checkout.session', 'Checkout sessions', [
    ['mode', (o) => s(o.mode)],
    ['status', st],
    ['payment', (o) => pill(String(o.payment_status), statusKind(String(o.payment_status)))],
    ['amount', (o) => s(money(o.amount_total as number, o.currency as string))],
    ['metadata', (o) => `<code>${s(JSON.stringify(o.metadata))}</code>`],
    ['page', (o) => (o.status === 'open' ? `<a href="/c/pay/${s(o.id)}">open</a>` : '')],
  ])}
  ${section(emu, 'payment_intent', 'Payment intents', [
    ['amount', (o) => s(money(o.amount as number, o.currency as string))],
    ['status', st],
    ['customer', (o) => `<code>${s(o.customer)}</code>`],
  ])}
  ${section(emu, 'charge', 'Charges', [
    ['amount', (o) => s(money(o.amount as number, o.currency as string))],
    ['refunded', (o) => s(money(o.amount_refunded as number, o.currency as string))],
    ['status', st],
    ['disputed', (o) => (o.disputed ? pill('disputed', 'bad') : '')],
  ])}
  ${section(emu, 'subscription', 'Subscriptions', [
    ['customer', (o) => `<code>${s(o.customer)}</code>`],
    ['status', st],
    [
      'period end',
      (o) => s(time((o.items as { data: Array<{ current_period_end: number }> }).data[0]?.current_period_end)),
    ],
    ['cancel at period end', (o) => s(o.cancel_at_period_end ? 'yes' : '')],
  ])}
  ${section(emu, 'invoice', 'Invoices', [
    ['number', (o) => s(o.number)],
    ['reason', (o) => s(o.billing_reason)],
    ['status', st],
    ['total', (o) => s(money(o.total as number, o.currency as string))],
  ])}
  ${section(emu, 'refund', 'Refunds', [
    ['charge', (o) => `<code>${s(o.charge)}</code>`],
    ['amount', (o) => s(money(o.amount as number, o.currency as string))],
    ['status', st],
  ])}
  ${section(emu, 'dispute', 'Disputes', [
    ['charge', (o) => `<code>${s(o.charge)}</code>`],
    ['reason', (o) => s(o.reason)],
    ['status', st],
  ])}
  ${section(emu, 'radar.early_fraud_warning', 'Early fraud warnings', [
    ['charge', (o) => `<code>${s(o.charge)}</code>`],
    ['fraud type', (o) => s(o.fraud_type)],
  ])}
  ${section(emu, 'product', 'Products', [['name', (o) => s(o.name)]])}
  ${section(emu, 'price', 'Prices', [
    ['lookup key', (o) => s(o.lookup_key)],
    ['amount', (o) => s(money(o.unit_amount as number, o.currency as string))],
    ['type', (o) => s(o.type)],
  ])}`;
  return page('Stripe emulator', body, '<meta http-equiv="refresh" content="10">');
}
