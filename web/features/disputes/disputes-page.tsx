// Disputes: what needs an answer first (past due, then by deadline), each with a live countdown
// coloured by urgency; then those with the bank, then closed ones. The filter, search and page
// (a cursor stack) live in the URL. The header shows the win rate and what is at stake.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableSearch, DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { DISPUTE_LIST_FILTERS, type DisputeListFilter } from '../../../server/contracts/disputes.ts';
import { disputeColumns } from './dispute-columns';
import { disputePath } from './dispute-path';

const PAGE_SIZE = 25;
const FILTER_LABEL: Record<DisputeListFilter, string> = {
  open: 'Open',
  needs_response: 'Needs response',
  overdue: 'Past due',
  under_review: 'With the bank',
  closed: 'Closed',
  all: 'All',
};

function Stat({ label, value, tone }: { label: string; value: React.ReactNode; tone?: 'danger' | 'warning' }) {
  return (
    <div className="flex min-w-32 flex-col gap-0.5 rounded-lg border px-4 py-3">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd
        className={cn(
          'text-lg font-semibold tabular-nums',
          tone === 'danger' && 'text-destructive',
          tone === 'warning' && 'text-warning',
        )}
      >
        {value}
      </dd>
    </div>
  );
}

function Stats() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.disputes.stats.queryOptions({}));
  if (!stats.data) return null;
  const s = stats.data;
  const atStake = Object.entries({ ...s.amounts.needs_response, ...s.amounts.overdue });
  return (
    <dl className="flex flex-wrap gap-3" aria-label="Dispute figures">
      <Stat label="Past due" value={s.counts.overdue} tone={s.counts.overdue ? 'danger' : undefined} />
      <Stat
        label="Need a response"
        value={s.counts.needs_response}
        tone={s.counts.needs_response ? 'warning' : undefined}
      />
      <Stat label="With the bank" value={s.counts.under_review} />
      <Stat
        label={`Win rate (${s.decided} decided)`}
        value={<span data-testid="win-rate">{s.winRatePercent === null ? '—' : `${s.winRatePercent}%`}</span>}
      />
      <Stat label="Won / lost" value={`${s.counts.won} / ${s.counts.lost}`} />
      {atStake.length > 0 && (
        <Stat label="Awaiting our response" value={atStake.map(([cur, v]) => formatMoney(v, cur)).join(' + ')} />
      )}
    </dl>
  );
}

export function DisputesPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { filters, setFilter, pager } = useListParams(['filter', 'q']);
  const filter = DISPUTE_LIST_FILTERS.find((f) => f === filters.filter) ?? 'open';
  const q = filters.q;
  const list = useQuery(
    trpc.disputes.list.queryOptions(
      { filter, q, cursor: pager.cursor, limit: PAGE_SIZE },
      { placeholderData: keepPreviousData },
    ),
  );
  const data = list.data;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Disputes"
        description="Chargebacks and inquiries. Evidence must reach the bank before the deadline; the pack is assembled from the customer's own history."
      />
      <Stats />
      <DataTableToolbar className="items-center">
        <nav aria-label="Dispute filter" className="flex flex-wrap gap-1">
          {DISPUTE_LIST_FILTERS.map((f) => (
            <Button
              key={f}
              size="sm"
              variant={f === filter ? 'secondary' : 'ghost'}
              aria-current={f === filter ? 'page' : undefined}
              onClick={() => setFilter('filter', f === 'open' ? null : f)}
            >
              {FILTER_LABEL[f]}
            </Button>
          ))}
        </nav>
        <DataTableSearch
          id="dispute-search"
          label="Search disputes"
          hideLabel
          className="ml-auto w-full max-w-xs"
          inputClassName="font-mono text-xs"
          placeholder="dp_…, ch_…, email, user id"
          value={q}
          onChange={(v) => setFilter('q', v)}
        />
      </DataTableToolbar>

      <DataTable
        label="Disputes"
        columns={disputeColumns}
        data={data?.items}
        getRowId={(d) => d.id}
        isPending={list.isPending}
        isFetching={list.isFetching}
        error={list.error}
        onRetry={() => void list.refetch()}
        skeletonRows={8}
        onRowClick={(d) => navigate(disputePath(d.id))}
        rowProps={() => ({ 'data-testid': 'dispute-row' })}
        empty={
          <EmptyState title={q ? `No dispute matches “${q}”` : `No ${FILTER_LABEL[filter].toLowerCase()} disputes`}>
            Disputes appear here when Stripe sends charge.dispute.created for one of our charges. Try “All” to see
            closed ones.
          </EmptyState>
        }
      />
      {data && (
        <DataTablePagination pager={pager} nextCursor={data.nextCursor} total={data.total} pageSize={PAGE_SIZE} />
      )}
    </div>
  );
}
