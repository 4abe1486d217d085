// Timeline items for what Creditdesk told the product's backend (outbound events, with how their
// deliveries went) and for automatic top-ups, in words support can repeat to the customer.
import type { Draft } from './billing-items.ts';
import type { Row } from './load-rows.ts';
import { RANK } from './ranks.ts';
import { date, num, optStr, str } from './row.ts';

const base = { status: null, credits: null, amount: null, stripeIds: [] as string[], steps: [] };

export function outboundItem(o: Row): Draft {
  const deliveries = num(o, 'deliveries');
  const delivered = num(o, 'delivered');
  const failing = num(o, 'failing');
  const told =
    deliveries === 0
      ? 'no endpoint subscribed'
      : `delivered to ${delivered} of ${deliveries} endpoint${deliveries === 1 ? '' : 's'}${failing ? `, ${failing} failing` : ''}`;
  return {
    ...base,
    key: `outbound:${str(o, 'id')}`,
    kind: 'outbound',
    rank: RANK.outbound,
    at: date(o, 'created_at'),
    id: str(o, 'id'),
    title: `Told the product: ${str(o, 'type')}`,
    summary: `${str(o, 'id')} (v${num(o, 'version')}): ${told}`,
    tone: failing ? 'warning' : 'neutral',
    status: failing ? 'failing' : deliveries && delivered === deliveries ? 'delivered' : null,
    raw: o,
  };
}

/** Words for a failed top-up; also the verdict's explanation. */
export function topupFailureWords(
  t: { failure_code?: unknown; credits?: unknown },
  formatCredits: (n: number) => string = (n) => `{{credits ${n}}}`,
): string {
  const credits = `${formatCredits(Number(t.credits ?? 0))} credits`;
  const code = String(t.failure_code ?? '');
  const what =
    code === 'authentication_required'
      ? `the bank asked the customer to authenticate the automatic top-up of ${credits}`
      : code === 'monthly_cap'
        ? `the automatic top-up of ${credits} would pass the monthly spending cap`
        : code === 'no_payment_method'
          ? `no saved card for the automatic top-up of ${credits}`
          : `card declined on the automatic top-up of ${credits}`;
  const next =
    code === 'monthly_cap'
      ? 'top-ups paused until next month or until the cap is raised'
      : 'top-ups paused until the card is updated';
  return `${what}; ${next}`;
}

export function topupItem(t: Row): Draft {
  const status = str(t, 'status');
  const credits = t.credits == null ? null : num(t, 'credits');
  const amount = t.amount == null ? null : { minor: num(t, 'amount'), currency: str(t, 'currency') };
  const pi = optStr(t, 'payment_intent_id');
  const crossing = `balance went from {{credits ${num(t, 'balance_before')}}} to {{credits ${num(t, 'balance_after')}}} (threshold {{credits ${num(t, 'threshold')}}})`;
  const summary =
    status === 'succeeded'
      ? `Bought pack ${str(t, 'pack_key')} automatically${amount ? ` for {{money ${amount.minor} ${amount.currency}}}` : ''}: ${crossing}`
      : status === 'failed' || status === 'capped'
        ? `${topupFailureWords(t)} (${crossing})`
        : status === 'skipped'
          ? `Skipped: ${optStr(t, 'failure_message') ?? 'auto top-up was off'}`
          : `Charging pack ${str(t, 'pack_key')} off-session: ${crossing}`;
  return {
    ...base,
    key: `topup:${str(t, 'id')}`,
    kind: 'topup',
    rank: RANK.topup,
    at: date(t, 'created_at'),
    id: str(t, 'id'),
    title: 'Automatic top-up',
    summary,
    tone: status === 'succeeded' ? 'success' : status === 'failed' || status === 'capped' ? 'danger' : 'neutral',
    status,
    credits,
    amount,
    stripeIds: pi ? [pi] : [],
    raw: t,
  };
}
