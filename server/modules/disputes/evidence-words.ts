// Plain-text formatting for the evidence that goes to the bank (PDF and Stripe text fields): money
// and credits in the one format the web shows too (contracts/money.ts); dates come from contracts/date-words.ts.

import type { EvidencePayment } from '../../contracts/disputes.ts';
import { formatCredits, formatMoney } from '../../contracts/money.ts';

export const money = formatMoney;

export const credits = formatCredits;

/** What a payment bought, by name for the bank; a pack saved before names were kept says its key. */
export function boughtText(p: Pick<EvidencePayment, 'bought' | 'kind' | 'catalogKey'>): string {
  return p.bought ?? `${p.kind}${p.catalogKey ? ` ${p.catalogKey}` : ''}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Cuts text to `max` characters, saying how much was left out. */
export function clip(text: string, max: number, tail = ' [continued in the attached PDF]'): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - tail.length)) + tail;
}
