// A catalog change in words: each change, and the customers it reaches now (count and a sample
// that links to their pages). Shared by the review before saving, restore and price mapping.
import { AlertTriangleIcon } from 'lucide-react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { formatCredits, formatMoney } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';

type Preview = RouterOutputs['catalogAdmin']['preview'];
type Impact = Preview['impacts'][number];
type Change = Impact['changes'][number];

const owner = (v: unknown) => (typeof v === 'string' ? v.replace(':', ' ') : 'nothing');

function entitlementWords(v: unknown, limitFeature: boolean): string {
  if (v === null || v === undefined) return 'off';
  if (v === true) return limitFeature ? 'unlimited' : 'on';
  return `limit ${formatCredits(Number(v))}`;
}

const RULE_LABELS: Record<string, string> = {
  gracePeriodDays: 'grace period (days)',
  'autoBlock.disputes': 'auto-block after disputes',
  'autoBlock.windowDays': 'auto-block window (days)',
  'refundApproval.above': 'refund approval above',
  'refundApproval.currency': 'refund approval currency',
  manualGrantFinanceAbove: 'support grant limit (credits)',
  'policies.refundPolicy': 'refund policy',
  'policies.cancellationPolicy': 'cancellation policy',
  'policies.productDescription': 'product description',
};

function changeWords(c: Change, ctx: { limitFeatures: Set<string>; currency: string }): string {
  const { field, before, after } = c;
  if (field.startsWith('entitlements.')) {
    const key = field.slice('entitlements.'.length);
    const limit = ctx.limitFeatures.has(key);
    return `${key}: ${entitlementWords(before, limit)} → ${entitlementWords(after, limit)}`;
  }
  if (field.startsWith('policies.')) {
    const chars = (v: unknown) => (typeof v === 'string' ? v.length : 0);
    return `${RULE_LABELS[field]} rewritten (${formatCredits(chars(before))} → ${formatCredits(chars(after))} characters)`;
  }
  if (field === 'refundApproval.above' && typeof before === 'number' && typeof after === 'number') {
    return `refund approval above ${formatMoney(before, ctx.currency)} → ${formatMoney(after, ctx.currency)}`;
  }
  const fmt = (v: unknown) =>
    v === null || v === undefined
      ? field === 'creditCost'
        ? 'free'
        : field === 'expiresAfterDays'
          ? 'never'
          : 'none'
      : typeof v === 'number'
        ? formatCredits(v)
        : typeof v === 'boolean'
          ? v
            ? 'yes'
            : 'no'
          : String(v);
  const label =
    RULE_LABELS[field] ??
    {
      monthlyCredits: 'monthly credits',
      rollover: 'rollover',
      name: 'name',
      creditCost: 'credits per use',
      type: 'type',
      credits: 'credits',
      expiresAfterDays: 'expires after (days)',
    }[field] ??
    field;
  return `${label}: ${fmt(before)} → ${fmt(after)}`;
}

function headline(i: Impact): string {
  switch (i.kind) {
    case 'plan_added':
      return `New plan ${i.subject}`;
    case 'plan_changed':
      return `Plan ${i.subject} changes`;
    case 'plan_removed':
      return `Plan ${i.subject} is removed`;
    case 'default_plan':
      return `The default plan becomes ${i.subject}`;
    case 'price_mapped':
      return `${i.subject} now sells ${owner(i.changes[0]?.after)}`;
    case 'price_moved':
      return `${i.subject} moves from ${owner(i.changes[0]?.before)} to ${owner(i.changes[0]?.after)}`;
    case 'price_unmapped':
      return `${i.subject} no longer sells anything (was ${owner(i.changes[0]?.before)})`;
    case 'feature_added':
      return `New feature ${i.subject}`;
    case 'feature_changed':
      return `Feature ${i.subject} changes`;
    case 'feature_removed':
      return `Feature ${i.subject} is removed`;
    case 'pack_added':
      return `New credit pack ${i.subject}`;
    case 'pack_changed':
      return `Credit pack ${i.subject} changes (future purchases only)`;
    case 'pack_removed':
      return `Credit pack ${i.subject} is removed (its prices stop selling)`;
    case 'rules_changed':
      return 'Rules change';
  }
}

function who(i: Impact): string {
  const n = i.customers?.count ?? 0;
  const customers = `${formatCredits(n)} customer${n === 1 ? '' : 's'}`;
  switch (i.kind) {
    case 'plan_changed':
    case 'plan_removed':
      return `${customers} on this plan`;
    case 'default_plan':
      return `${customers} without a plan of their own move to it`;
    case 'price_mapped':
      return `${customers} behind the waiting events`;
    case 'price_moved':
      return `${customers} with a live subscription on this price renew into the new ${owner(i.changes[0]?.after)}`;
    case 'price_unmapped':
      return `${customers} with a live subscription on this price: their renewals would fail as "unknown price"`;
    case 'feature_changed':
      return `${customers} have this feature by plan or override`;
    case 'feature_removed':
      return `${customers} have an active override on it`;
    case 'rules_changed':
      return `${customers} are in a grace period now`;
    default:
      return customers;
  }
}

export function ImpactList({
  preview,
  limitFeatures,
  currency,
}: {
  preview: Pick<Preview, 'impacts'>;
  limitFeatures: Set<string>;
  currency: string;
}) {
  if (!preview.impacts.length) return <p className="text-sm text-muted-foreground">No change.</p>;
  return (
    <ul className="flex flex-col divide-y rounded-md border" aria-label="What the change does">
      {preview.impacts.map((i) => (
        <li key={`${i.kind}:${i.subject}`} className="flex flex-col gap-1 px-3 py-2 text-sm">
          <span className="flex flex-wrap items-center gap-2 font-medium">
            {i.attention && <AlertTriangleIcon className="size-4 text-warning" aria-label="Needs attention" />}
            {headline(i)}
          </span>
          {i.changes.length > 0 && i.kind !== 'default_plan' && !i.kind.startsWith('price_') && (
            <ul className="ml-4 list-disc text-muted-foreground">
              {i.changes.map((c) => (
                <li key={c.field}>{changeWords(c, { limitFeatures, currency })}</li>
              ))}
            </ul>
          )}
          {i.waitingEventIds && i.waitingEventIds.length > 0 && (
            <span>
              <Badge tone="warning">{formatCredits(i.waitingEventIds.length)} failed events waiting</Badge>{' '}
              <span className="text-muted-foreground">reprocess them after saving (Webhooks, or the price helper)</span>
            </span>
          )}
          {i.customers && (
            <span className={i.customers.count && i.attention ? 'text-foreground' : 'text-muted-foreground'}>
              {who(i)}
              {i.customers.sample.length > 0 && (
                <>
                  {': '}
                  {i.customers.sample.map((c, n) => (
                    <span key={c.id}>
                      {n > 0 && ', '}
                      <Link className="underline-offset-2 hover:underline" to={`/customers/${c.id}`}>
                        {c.email}
                      </Link>
                    </span>
                  ))}
                  {i.customers.count > i.customers.sample.length &&
                    ` and ${formatCredits(i.customers.count - i.customers.sample.length)} more`}
                </>
              )}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
