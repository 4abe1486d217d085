// Findings are plain words with a few tokens the web renders with its own format helpers
// (formatting lives in web/lib/format.ts): {{money <minor> <currency>}}, {{credits <n>}},
// {{at <iso>}} (an exact UTC time).
import type { Evidence } from '../../../contracts/support.ts';
import type { HistoryEvent } from './history.ts';

export const money = (minor: number, currency: string) => `{{money ${minor} ${currency}}}`;
export const credits = (n: number) => `{{credits ${n}}}`;
export const date = (d: Date) => `{{at ${d.toISOString()}}}`;

export function eventEvidence(e: Pick<HistoryEvent, 'id' | 'type'>): Evidence {
  return { kind: 'event', id: e.id, label: e.type };
}

export function objectEvidence(id: string): Evidence {
  if (id.startsWith('cs_')) return { kind: 'session', id, label: 'Checkout Session' };
  if (id.startsWith('in_')) return { kind: 'invoice', id, label: 'invoice' };
  if (id.startsWith('sub_')) return { kind: 'subscription', id, label: 'subscription' };
  if (id.startsWith('re_')) return { kind: 'refund', id, label: 'refund' };
  if (id.startsWith('dp_') || id.startsWith('du_')) return { kind: 'dispute', id, label: 'dispute' };
  return { kind: 'payment', id, label: id.startsWith('ch_') ? 'charge' : 'payment' };
}

/** The email the payer typed at checkout, if the object carries one. */
export function payerEmail(object: Record<string, unknown>): string | null {
  const details = object.customer_details as { email?: unknown } | null | undefined;
  for (const v of [details?.email, object.customer_email, object.receipt_email]) {
    if (typeof v === 'string' && v) return v;
  }
  return null;
}

export function objectAmount(object: Record<string, unknown>): { minor: number; currency: string } | null {
  const minor = [object.amount_total, object.amount_paid, object.amount].find((v) => typeof v === 'number');
  return typeof minor === 'number' && typeof object.currency === 'string' ? { minor, currency: object.currency } : null;
}
