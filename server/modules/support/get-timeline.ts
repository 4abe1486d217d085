// One stream of everything that happened to a customer, newest first, a page at a time. One
// statement reads at most limit+1 rows after the cursor from each source (load-rows.ts); the
// merge keeps the newest `limit`; then the page's items are linked into Stripe object chains.
import type { DbOrTx } from '../../db/tx.ts';
import {
  TIMELINE_KINDS,
  type TimelineInput,
  type TimelineItem,
  type TimelineKind,
  type TimelinePage,
} from '../../contracts/support.ts';
import { AppError } from '../../lib/app-error.ts';
import { auditItem, blockItem, entitlementItem, ledgerItem, noteItem, usageItems } from './timeline/account-items.ts';
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
import { loadTimelineRows } from './timeline/load-rows.ts';

export async function getTimeline(db: DbOrTx, input: TimelineInput): Promise<TimelinePage> {
  const limit = input.limit ?? 50;
  const bucket = input.usageBucket ?? 'hour';
  const kinds = new Set<TimelineKind>(input.kinds?.length ? input.kinds : TIMELINE_KINDS);
  const cursor = decodeCursor(input.cursor);
  const rows = await loadTimelineRows(db, { customerId: input.customerId, kinds, cursor, take: limit + 1, bucket });
  if (!rows.customer?.length) throw new AppError('NOT_FOUND', 'Customer not found');

  const steps = eventSteps(rows.delivery ?? [], rows.attempt ?? []);
  const linked = new Set((rows.event ?? []).map((r) => String(r.id)));
  const drafts: Draft[] = [
    ...(rows.event ?? []).map((r) => eventItem(r, steps.get(String(r.id)), false)),
    // An unlinked event can only show once: linking it moves it to the customer's own events.
    ...(rows.unlinked ?? [])
      .filter((r) => !linked.has(String(r.id)))
      .map((r) => eventItem(r, steps.get(String(r.id)), true)),
    ...(rows.payment ?? []).map(paymentItem),
    ...(rows.subscription ?? []).map(subscriptionItem),
    ...(rows.refund ?? []).map(refundItem),
    ...(rows.dispute ?? []).map(disputeItem),
    ...(rows.ledger ?? []).map(ledgerItem),
    ...(rows.entitlement ?? []).map(entitlementItem),
    ...usageItems(rows.ubucket ?? [], rows.uagg ?? [], bucket),
    ...(rows.block ?? []).map(blockItem),
    ...(rows.audit ?? []).map(auditItem),
    ...(rows.note ?? []).map(noteItem),
  ];
  // Items of one source arrive in the SQL's (time, id) order and keep it through a stable sort on
  // (time, rank). Only events come from two sources (linked, unlinked) of one rank: their text
  // ids are compared as the database compares them.
  const merged = drafts.sort((a, b) => {
    const byTime = b.at.getTime() - a.at.getTime() || b.rank - a.rank;
    if (byTime || a.kind !== 'event' || b.kind !== 'event') return byTime;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  });
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    merged.length > limit && last ? encodeCursor({ t: last.at.getTime(), r: last.rank, i: last.id }) : null;
  const chains = await linkChains(db, input.customerId, page);
  const items: TimelineItem[] = page.map(({ rank: _rank, ...draft }, i) => ({ ...draft, chain: chains[i] ?? null }));
  return { items, nextCursor };
}
