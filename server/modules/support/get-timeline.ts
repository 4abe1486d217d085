// One stream of everything that happened to a customer, newest first, a page at a time. One
// statement finds the page's keys across every source and reads those rows (load-rows.ts); here
// they become items in words, linked into Stripe object chains.
import type { CatalogNames } from '../../contracts/catalog-names.ts';
import type { DbOrTx } from '../../db/tx.ts';
import {
  TIMELINE_KINDS,
  type TimelineInput,
  type TimelineItem,
  type TimelineKind,
  type TimelinePage,
} from '../../contracts/support.ts';
import { AppError } from '../../lib/app-error.ts';
import { loadCatalogNames } from '../catalog/catalog-names.ts';
import { auditItem, blockItem, entitlementItem, ledgerItem, noteItem, usageItem } from './timeline/account-items.ts';
import { outboundItem, topupItem } from './timeline/outbound-items.ts';
import {
  disputeItem,
  eventItem,
  eventSteps,
  paymentItem,
  refundItem,
  subscriptionItem,
  type Draft,
} from './timeline/billing-items.ts';
import { decodeCursor, encodeCursor } from './timeline/cursor.ts';
import { linkChains } from './timeline/link-chains.ts';
import { loadTimelineRows, type Row, type Source } from './timeline/load-rows.ts';
import { date } from './timeline/row.ts';

export async function getTimeline(db: DbOrTx, input: TimelineInput): Promise<TimelinePage> {
  const limit = input.limit ?? 50;
  const bucket = input.usageBucket ?? 'hour';
  const kinds = new Set<TimelineKind>(input.kinds?.length ? input.kinds : TIMELINE_KINDS);
  const cursor = decodeCursor(input.cursor);
  const [rows, names] = await Promise.all([
    loadTimelineRows(db, { customerId: input.customerId, kinds, cursor, take: limit + 1, bucket }),
    // Payments and subscriptions name what was bought by its name, not its catalog key.
    loadCatalogNames(db),
  ]);
  if (!rows.customer?.length) throw new AppError('NOT_FOUND', 'Customer not found');

  // The keys arrive in timeline order, already cut to limit + 1; each is completed from its row.
  const keys = rows.key ?? [];
  const detail = new Map<string, Row>();
  for (const src of DETAILED) for (const r of rows[src] ?? []) detail.set(`${src}:${String(r.id)}`, r);
  const steps = eventSteps(rows.delivery ?? [], rows.attempt ?? []);
  const page: Draft[] = [];
  for (const key of keys.slice(0, limit)) {
    const src = String(key.src) as Source;
    const id = String(key.id);
    const draft =
      src === 'usage'
        ? usageItem(id, rows.usage ?? [], bucket)
        : toDraft(src, detail.get(`${src}:${id}`), steps, names);
    if (draft) page.push(draft);
  }
  const last = keys[limit - 1];
  const nextCursor =
    keys.length > limit && last
      ? encodeCursor({ t: date(last, 't').getTime(), r: Number(last.rank), i: String(last.id) })
      : null;
  const chains = await linkChains(db, input.customerId, page);
  const items: TimelineItem[] = page.map(({ rank: _rank, ...draft }, i) => ({ ...draft, chain: chains[i] ?? null }));
  return { items, nextCursor };
}

const DETAILED: Source[] = [
  'event',
  'unlinked',
  'payment',
  'subscription',
  'refund',
  'dispute',
  'ledger',
  'entitlement',
  'block',
  'audit',
  'note',
  'outbound',
  'topup',
];

function toDraft(
  src: Source,
  row: Row | undefined,
  steps: ReturnType<typeof eventSteps>,
  names: CatalogNames,
): Draft | null {
  // A row deleted between the two phases of the statement cannot happen (one snapshot); be safe.
  if (!row) return null;
  switch (src) {
    case 'event':
    case 'unlinked':
      return eventItem(row, steps.get(String(row.id)), src === 'unlinked');
    case 'payment':
      return paymentItem(row, names);
    case 'subscription':
      return subscriptionItem(row, names);
    case 'refund':
      return refundItem(row);
    case 'dispute':
      return disputeItem(row);
    case 'ledger':
      return ledgerItem(row);
    case 'entitlement':
      return entitlementItem(row);
    case 'block':
      return blockItem(row);
    case 'audit':
      return auditItem(row);
    case 'note':
      return noteItem(row);
    case 'outbound':
      return outboundItem(row);
    case 'topup':
      return topupItem(row);
    default:
      return null;
  }
}
