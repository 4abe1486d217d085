// Timeline items from the account itself: ledger entries (usage excepted, shown grouped), usage
// groups per hour or day, entitlement changes, blocks, staff actions and notes.
import type { LedgerEntryType } from '../../../generated/prisma/client.ts';
import type { Draft } from './billing-items.ts';
import type { Row } from './load-rows.ts';
import { RANK, USAGE_BUCKET_MS, type UsageBucket } from './ranks.ts';
import { date, num, optStr, str } from './row.ts';
import { ENTRY_TITLES, entryTone, isChainId } from './words.ts';

const base = { status: null, credits: null, amount: null, stripeIds: [] as string[], steps: [] };

export function ledgerItem(e: Row): Draft {
  const type = str(e, 'type') as LedgerEntryType;
  const credits = num(e, 'credits');
  const reference = optStr(e, 'reference');
  return {
    ...base,
    key: `ledger:${str(e, 'id')}`,
    kind: 'ledger',
    rank: RANK.ledger,
    at: date(e, 'created_at'),
    id: str(e, 'id'),
    title: ENTRY_TITLES[type] ?? type,
    summary: `${str(e, 'reason')} (balance after: {{credits ${num(e, 'balance_after')}}})`,
    tone: entryTone(type, credits),
    credits,
    stripeIds: isChainId(reference) ? [reference] : [],
    raw: e,
  };
}

/** A usage group: the requests of one hour or day (UTC), by feature, from the page's aggregates. */
export function usageItem(startIso: string, groups: Row[], unit: UsageBucket): Draft {
  const size = USAGE_BUCKET_MS[unit];
  const start = new Date(startIso);
  const parts = groups
    .filter((g) => date(g, 'bucket').getTime() === start.getTime())
    .sort((x, y) => num(y, 'credits') - num(x, 'credits'));
  const consumed = parts.filter((p) => str(p, 'status') === 'consumed');
  const credits = consumed.reduce((sum, p) => sum + num(p, 'credits'), 0);
  const count = parts.reduce((sum, p) => sum + num(p, 'n'), 0);
  const reversed = parts.filter((p) => str(p, 'status') === 'reversed').reduce((sum, p) => sum + num(p, 'n'), 0);
  const end = new Date(start.getTime() + size);
  const lastAt = parts.reduce((max, p) => (date(p, 'last_at') > max ? date(p, 'last_at') : max), start);
  const iso = start.toISOString();
  return {
    ...base,
    key: `usage:${iso}`,
    kind: 'usage',
    rank: RANK.usage,
    at: end,
    shownAt: lastAt,
    id: iso,
    title:
      unit === 'hour'
        ? `Usage {{day ${iso}}} {{hour ${iso}}}–{{hour ${end.toISOString()}}} UTC`
        : `Usage on {{day ${iso}}} (UTC)`,
    summary: [
      `${count} request${count === 1 ? '' : 's'}${reversed ? ` (${reversed} reversed)` : ''}, {{credits ${credits}}} credits`,
      consumed.map((p) => `${str(p, 'feature')} ${num(p, 'n')} ({{credits ${num(p, 'credits')}}})`).join(', '),
    ]
      .filter(Boolean)
      .join(': '),
    tone: 'neutral',
    credits: -credits,
    raw: {
      from: iso,
      to: end.toISOString(),
      byFeature: parts.map((p) => ({
        feature: str(p, 'feature'),
        status: str(p, 'status'),
        requests: num(p, 'n'),
        credits: num(p, 'credits'),
        lastAt: date(p, 'last_at').toISOString(),
      })),
    },
  };
}

export function entitlementItem(e: Row): Draft {
  const reference = optStr(e, 'reference');
  return {
    ...base,
    key: `entitlement:${str(e, 'id')}`,
    kind: 'entitlement',
    rank: RANK.entitlement,
    at: date(e, 'created_at'),
    id: str(e, 'id'),
    title: `Entitlements: ${str(e, 'kind').replaceAll('_', ' ')}`,
    summary: str(e, 'reason'),
    tone: 'neutral',
    stripeIds: isChainId(reference) ? [reference] : [],
    raw: e,
  };
}

export function blockItem(b: Row): Draft {
  const blocked = str(b, 'action') === 'block';
  const actor = str(b, 'actor_id');
  return {
    ...base,
    key: `block:${str(b, 'id')}`,
    kind: 'block',
    rank: RANK.block,
    at: date(b, 'created_at'),
    id: str(b, 'id'),
    title: blocked ? 'Customer blocked' : 'Customer unblocked',
    summary: `${str(b, 'reason')} (by ${actor === 'system' ? 'the auto-block rule' : actor})`,
    tone: blocked ? 'danger' : 'success',
    status: blocked ? 'blocked' : 'unblocked',
    raw: b,
  };
}

export function auditItem(a: Row): Draft {
  const target = optStr(a, 'target_id');
  const reason = optStr(a, 'reason');
  const role = optStr(a, 'actor_role');
  return {
    ...base,
    key: `audit:${str(a, 'id')}`,
    kind: 'audit',
    rank: RANK.audit,
    at: date(a, 'created_at'),
    id: str(a, 'id'),
    title: str(a, 'action'),
    summary: [
      `by ${optStr(a, 'actor_email') ?? optStr(a, 'actor_id') ?? 'unknown'}${role ? ` (${role})` : ''}`,
      reason && `reason: ${reason}`,
    ]
      .filter(Boolean)
      .join(', '),
    tone: 'neutral',
    stripeIds: isChainId(target) ? [target] : [],
    raw: a,
  };
}

export function noteItem(n: Row): Draft {
  return {
    ...base,
    key: `note:${str(n, 'id')}`,
    kind: 'note',
    rank: RANK.note,
    at: date(n, 'created_at'),
    id: str(n, 'id'),
    title: 'Note',
    summary: str(n, 'body'),
    tone: 'neutral',
    raw: n,
  };
}
