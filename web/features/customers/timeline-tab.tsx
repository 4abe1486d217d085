// One stream, newest first: Stripe events with their deliveries and processing, payments,
// ledger entries, entitlement changes, usage per hour or day, staff actions, blocks and notes.
// Filters (the list kit's toolbar) and the highlighted object are in the URL; items of one Stripe chain (session ->
// payment intent -> charge -> refund/dispute) light up together; each opens its raw record.
import { useInfiniteQuery } from '@tanstack/react-query';
import { LinkIcon } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  DataTableFacets,
  DataTableReset,
  DataTableSelect,
  DataTableToolbar,
  facetValues,
} from '@/components/data-table/data-table-toolbar';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import {
  TIMELINE_KIND_LABELS,
  TIMELINE_KINDS,
  type TimelineItem,
  type TimelineKind,
} from '../../../server/contracts/support.ts';
import { ToneBadge } from './customer-badges';
import { DetailSheet } from './detail-sheet';
import { Words } from './words';

const PAGE = 50;

function matches(item: TimelineItem, id: string): boolean {
  return item.id === id || item.chain === id || item.stripeIds.includes(id);
}

function Row({
  item,
  highlighted,
  inChain,
  onOpen,
  onChain,
}: {
  item: TimelineItem;
  highlighted: boolean;
  inChain: boolean;
  onOpen: () => void;
  onChain: (chain: string) => void;
}) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'center' });
  }, [highlighted]);
  return (
    <li
      ref={ref}
      data-kind={item.kind}
      data-highlighted={highlighted || undefined}
      className={cn(
        // minmax(0, 1fr): a plain 1fr would grow to its longest unbroken id and push the page sideways.
        'grid grid-cols-[5.5rem_minmax(0,1fr)_auto] items-start gap-x-3 border-b px-3 py-2 text-sm last:border-b-0 sm:grid-cols-[7rem_6.5rem_minmax(0,1fr)_auto]',
        // A marker on the edge, not a tint: badges inside keep their contrast.
        highlighted && 'bg-accent shadow-[inset_4px_0_0_var(--color-warning)]',
        !highlighted && inChain && 'shadow-[inset_4px_0_0_var(--color-border)]',
      )}
    >
      <span className="pt-0.5 text-xs text-muted-foreground">
        <TimeAgo date={item.shownAt ?? item.at} />
      </span>
      <span className="hidden pt-0.5 text-xs text-muted-foreground sm:block">{TIMELINE_KIND_LABELS[item.kind]}</span>
      <div className="flex min-w-0 flex-col gap-0.5">
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            onClick={onOpen}
            className={cn(
              'text-left font-medium [overflow-wrap:anywhere] outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring',
              item.kind === 'event' && 'font-mono text-[0.8rem]',
            )}
          >
            <Words text={item.title} />
          </button>
          {item.status && <ToneBadge tone={item.tone}>{item.status}</ToneBadge>}
          {item.chain && (
            <button
              type="button"
              onClick={() => onChain(item.chain!)}
              className="inline-flex items-center gap-1 rounded px-1 font-mono text-xs text-muted-foreground outline-none hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
              title={`Show everything about ${item.chain}`}
            >
              <LinkIcon className="size-3 shrink-0" aria-hidden />
              <span className="max-w-56 truncate">{item.chain}</span>
            </button>
          )}
        </div>
        {item.summary && (
          <p className="text-muted-foreground [overflow-wrap:anywhere]">
            <Words text={item.summary} />
          </p>
        )}
        {item.steps.length > 0 && (
          <ol className="mt-0.5 flex flex-wrap gap-x-3 gap-y-0.5 text-xs" aria-label="Deliveries and processing">
            {item.steps.map((s, i) => (
              <li
                key={i}
                className={cn(
                  s.tone === 'danger'
                    ? 'text-destructive'
                    : s.tone === 'success'
                      ? 'text-success'
                      : 'text-muted-foreground',
                )}
              >
                {s.label}
              </li>
            ))}
          </ol>
        )}
      </div>
      <span className="flex flex-col items-end pt-0.5 tabular-nums">
        {item.credits != null && item.credits !== 0 && (
          <span className={cn(item.credits > 0 ? 'text-success' : '')}>
            {item.credits > 0 ? `+${formatCredits(item.credits)}` : formatCredits(item.credits)}
          </span>
        )}
        {item.amount && (
          <span className="text-xs text-muted-foreground">{formatMoney(item.amount.minor, item.amount.currency)}</span>
        )}
      </span>
    </li>
  );
}

const FILTERS = ['kinds', 'bucket', 'highlight'] as const;
const KIND_OPTIONS = TIMELINE_KINDS.map((k) => [k, TIMELINE_KIND_LABELS[k]] as const);
const BUCKETS = [
  ['hour', 'hour'],
  ['day', 'day'],
] as const;

export function TimelineTab({ customerId, highlight }: { customerId: string; highlight: string | null }) {
  const trpc = useTRPC();
  const { filters, setFilter, setFilters } = useListParams(FILTERS);
  const kinds = facetValues(filters.kinds, TIMELINE_KINDS);
  const bucket = filters.bucket === 'day' ? 'day' : 'hour';
  const [open, setOpen] = useState<TimelineItem | null>(null);

  const timeline = useInfiniteQuery(
    trpc.support.timeline.infiniteQueryOptions(
      { customerId, limit: PAGE, usageBucket: bucket, ...(kinds.length ? { kinds } : {}) },
      { getNextPageParam: (last) => last.nextCursor ?? undefined },
    ),
  );
  const items = useMemo(() => timeline.data?.pages.flatMap((p) => p.items) ?? [], [timeline.data]);
  const hit = highlight ? items.find((i) => matches(i, highlight)) : undefined;
  const chain = hit?.chain ?? null;

  return (
    <div className="flex flex-col gap-3">
      <DataTableToolbar className="items-end justify-between">
        <DataTableFacets<TimelineKind>
          label="Show only"
          allLabel="Everything"
          value={kinds}
          options={KIND_OPTIONS}
          onChange={(next) => setFilter('kinds', next.join(','))}
        />
        <DataTableSelect<'hour' | 'day'>
          id="usage-bucket"
          label="Usage per"
          value={bucket}
          options={BUCKETS}
          anyLabel={null}
          onChange={(v) => setFilter('bucket', v === 'day' ? 'day' : null)}
        />
      </DataTableToolbar>
      {highlight && (
        <div className="flex flex-wrap items-center gap-2 text-sm" role="status">
          <span>
            Highlighting <span className="font-mono">{highlight}</span>
            {!hit &&
              !timeline.isPending &&
              (timeline.hasNextPage
                ? ': it is further down, load more to reach it.'
                : ': not in this stream (check the filters).')}
          </span>
          <Button size="sm" variant="ghost" onClick={() => setFilter('highlight', null)}>
            Clear
          </Button>
        </div>
      )}
      {timeline.isPending && <SkeletonRows rows={10} />}
      {timeline.isError && <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />}
      {timeline.data &&
        (items.length === 0 ? (
          <EmptyState
            title="Nothing here yet"
            action={<DataTableReset visible={kinds.length > 0} onReset={() => setFilters({ kinds: null })} />}
          >
            {kinds.length
              ? 'Nothing of these kinds happened to this customer.'
              : 'Payments, Stripe events, ledger entries, usage and staff actions appear here as they happen.'}
          </EmptyState>
        ) : (
          <ol className="rounded-lg border" aria-label="Timeline, newest first" aria-busy={timeline.isFetching}>
            {items.map((item) => (
              <Row
                key={item.key}
                item={item}
                highlighted={!!highlight && matches(item, highlight) && item === hit}
                inChain={!!chain && item.chain === chain}
                onOpen={() => setOpen(item)}
                onChain={(c) => setFilter('highlight', c)}
              />
            ))}
          </ol>
        ))}
      {timeline.hasNextPage && (
        <Button
          variant="outline"
          className="self-center"
          disabled={timeline.isFetchingNextPage}
          onClick={() => void timeline.fetchNextPage()}
        >
          {timeline.isFetchingNextPage ? 'Loading…' : 'Load older'}
        </Button>
      )}
      <DetailSheet item={open} onClose={() => setOpen(null)} />
    </div>
  );
}
