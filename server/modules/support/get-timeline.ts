// One stream of everything that happened to a customer, newest first, a page at a time. Each
// source reads at most limit+1 rows after the cursor through its own index; the merge keeps the
// newest `limit`; only the page's events are then joined with their deliveries and processing
// attempts, and the page's items are linked into Stripe object chains.
import type { DbOrTx } from '../../db/tx.ts';
import {
  TIMELINE_KINDS,
  type TimelineInput,
  type TimelineItem,
  type TimelineKind,
  type TimelinePage,
  type TimelineStep,
} from '../../contracts/support.ts';
import { AppError } from '../../lib/app-error.ts';
import { findUnlinkedEvents } from './find-unlinked-events.ts';
import {
  auditSource,
  blockSource,
  entitlementSource,
  ledgerSource,
  noteSource,
  usageSource,
} from './timeline/account-sources.ts';
import {
  RANK,
  disputeSource,
  eventDraft,
  eventSource,
  paymentSource,
  refundSource,
  subscriptionSource,
  type Draft,
} from './timeline/billing-sources.ts';
import { boundFor, decodeCursor, encodeCursor, isAfterCursor } from './timeline/cursor.ts';
import { linkChains } from './timeline/link-chains.ts';
import { eventTone } from './timeline/words.ts';

export async function getTimeline(db: DbOrTx, input: TimelineInput): Promise<TimelinePage> {
  const limit = input.limit ?? 50;
  const kinds = new Set<TimelineKind>(input.kinds?.length ? input.kinds : TIMELINE_KINDS);
  const cursor = decodeCursor(input.cursor);
  const customer = await db.customer.findUnique({
    where: { id: input.customerId },
    select: { id: true, externalId: true, email: true, stripeCustomerId: true },
  });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');

  const take = limit + 1;
  const args = (rank: number) => ({ customerId: customer.id, bound: boundFor(cursor, rank), take });
  const sources: Array<Promise<Draft[]>> = [];
  if (kinds.has('event')) {
    sources.push(eventSource(db, args(RANK.event)));
    sources.push(
      findUnlinkedEvents(db, customer).then((rows) =>
        rows.filter((r) => isAfterCursor(cursor, r.created, RANK.event, r.id)).map((r) => eventDraft(r, true)),
      ),
    );
  }
  if (kinds.has('payment') || kinds.has('invoice')) {
    sources.push(
      paymentSource(db, { ...args(RANK.payment), payments: kinds.has('payment'), invoices: kinds.has('invoice') }),
    );
  }
  if (kinds.has('subscription')) sources.push(subscriptionSource(db, args(RANK.subscription)));
  if (kinds.has('refund')) sources.push(refundSource(db, args(RANK.refund)));
  if (kinds.has('dispute')) sources.push(disputeSource(db, args(RANK.dispute)));
  if (kinds.has('ledger')) sources.push(ledgerSource(db, args(RANK.ledger)));
  if (kinds.has('entitlement')) sources.push(entitlementSource(db, args(RANK.entitlement)));
  if (kinds.has('usage')) sources.push(usageSource(db, { ...args(RANK.usage), bucket: input.usageBucket ?? 'hour' }));
  if (kinds.has('block')) sources.push(blockSource(db, args(RANK.block)));
  if (kinds.has('audit')) sources.push(auditSource(db, args(RANK.audit)));
  if (kinds.has('note')) sources.push(noteSource(db, args(RANK.note)));

  // Each source is already in (time, rank, id) descending order; a stable sort on (time, rank)
  // keeps the id order within a source.
  const merged = (await Promise.all(sources)).flat().sort((a, b) => b.at.getTime() - a.at.getTime() || b.rank - a.rank);
  const page = merged.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    merged.length > limit && last ? encodeCursor({ t: last.at.getTime(), r: last.rank, i: last.id }) : null;

  const [steps, chains] = await Promise.all([
    eventSteps(
      db,
      page.filter((d) => d.kind === 'event').map((d) => d.id),
    ),
    linkChains(db, customer.id, page),
  ]);
  const items: TimelineItem[] = page.map(({ rank: _rank, ...draft }, i) => {
    const own = steps.get(draft.id);
    const item: TimelineItem = {
      ...draft,
      steps: draft.kind === 'event' ? (own?.steps ?? []) : [],
      chain: chains[i] ?? null,
    };
    // A processed event says what it did; an unfinished one already shows its error.
    if (draft.kind === 'event' && own?.summary && draft.tone === 'success') {
      item.summary = [draft.summary, own.summary].filter(Boolean).join('. ');
    }
    return item;
  });
  return { items, nextCursor };
}

const DELIVERY_WORDS: Record<string, string> = {
  webhook: 'Delivered by Stripe',
  reconciliation: 'Fetched by reconciliation',
  manual: 'Fetched from Stripe by staff',
};

async function eventSteps(db: DbOrTx, eventIds: string[]) {
  const out = new Map<string, { steps: TimelineStep[]; summary: string | null }>();
  if (!eventIds.length) return out;
  const [deliveries, attempts] = await Promise.all([
    db.webhookDelivery.findMany({ where: { eventId: { in: eventIds } }, orderBy: { id: 'asc' } }),
    db.eventProcessingAttempt.findMany({ where: { eventId: { in: eventIds } }, orderBy: { id: 'asc' } }),
  ]);
  const entry = (id: string) => {
    let e = out.get(id);
    if (!e) out.set(id, (e = { steps: [], summary: null }));
    return e;
  };
  for (const d of deliveries) {
    entry(d.eventId).steps.push({
      at: d.receivedAt,
      label: d.duplicate
        ? `${DELIVERY_WORDS[d.source] ?? d.source} again (duplicate)`
        : (DELIVERY_WORDS[d.source] ?? d.source),
      tone: d.outcome === 'stored' || d.outcome === 'duplicate' || d.outcome.startsWith('2') ? 'neutral' : 'warning',
      detail: `${d.outcome}${d.durationMs != null ? `, answered in ${d.durationMs} ms` : ''}`,
    });
  }
  for (const a of attempts) {
    const e = entry(a.eventId);
    e.steps.push({
      at: a.startedAt,
      label: `${a.outcome === 'error' ? 'Processing error' : `Processing: ${a.outcome}`}${a.actorId ? ' (run by staff)' : ''}`,
      tone: eventTone(a.outcome === 'error' ? 'failed' : a.outcome),
      detail: a.error ?? a.summary,
    });
    e.summary = a.summary ?? (a.error ? `Error: ${a.error}` : e.summary);
  }
  for (const e of out.values()) e.steps.sort((a, b) => a.at.getTime() - b.at.getTime());
  return out;
}
