// Disputes: what needs an answer first (past due, then by deadline), each with a live countdown
// coloured by urgency; then those with the bank, then closed ones. The filter, search and page
// live in the URL. The header shows the win rate and what is at stake.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { SearchIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyState, ErrorState, PageHeader, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { DISPUTE_LIST_FILTERS, type DisputeListFilter } from '../../../server/contracts/disputes.ts';
import { DisputeStateBadge, reasonLabel } from './dispute-words';
import { DueCountdown } from './due-countdown';

const PAGE_SIZE = 25;
const FILTER_LABEL: Record<DisputeListFilter, string> = {
  open: 'Open',
  needs_response: 'Needs response',
  overdue: 'Past due',
  under_review: 'With the bank',
  closed: 'Closed',
  all: 'All',
};

export function disputePath(id: string): string {
  return `/disputes/${encodeURIComponent(id)}`;
}

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
  const [params, setParams] = useSearchParams();
  const filter = (DISPUTE_LIST_FILTERS as readonly string[]).includes(params.get('filter') ?? '')
    ? (params.get('filter') as DisputeListFilter)
    : 'open';
  const q = params.get('q') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(q);
  const list = useQuery(
    trpc.disputes.list.queryOptions({ filter, q, page, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );

  const update = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  // Typing searches after a short pause; the URL follows (replace: no history entry per key).
  useEffect(() => {
    const value = draft.trim();
    if (value === q) return;
    const timer = setTimeout(
      () =>
        setParams(
          (prev) => {
            const p = new URLSearchParams(prev);
            if (value) p.set('q', value);
            else p.delete('q');
            p.delete('page');
            return p;
          },
          { replace: true },
        ),
      300,
    );
    return () => clearTimeout(timer);
  }, [draft, q, setParams]);

  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.limit)) : 1;
  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Disputes"
        description="Chargebacks and inquiries. Evidence must reach the bank before the deadline; the pack is assembled from the customer's own history."
      />
      <Stats />
      <div className="flex flex-wrap items-center gap-3">
        <nav aria-label="Dispute filter" className="flex flex-wrap gap-1">
          {DISPUTE_LIST_FILTERS.map((f) => (
            <Button
              key={f}
              size="sm"
              variant={f === filter ? 'secondary' : 'ghost'}
              aria-current={f === filter ? 'page' : undefined}
              onClick={() => update({ filter: f === 'open' ? null : f, page: null })}
            >
              {FILTER_LABEL[f]}
            </Button>
          ))}
        </nav>
        <div className="relative ml-auto w-full max-w-xs">
          <label htmlFor="dispute-search" className="sr-only">
            Search disputes
          </label>
          <SearchIcon
            className="pointer-events-none absolute top-2 left-2.5 size-4 text-muted-foreground"
            aria-hidden
          />
          <Input
            id="dispute-search"
            type="search"
            className="h-8 pl-8 font-mono text-xs"
            placeholder="dp_…, ch_…, email, user id"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
      </div>

      {list.isPending && <SkeletonRows rows={8} />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {data &&
        (data.items.length === 0 ? (
          <EmptyState title={q ? `No dispute matches “${q}”` : `No ${FILTER_LABEL[filter].toLowerCase()} disputes`}>
            Disputes appear here when Stripe sends charge.dispute.created for one of our charges. Try “All” to see
            closed ones.
          </EmptyState>
        ) : (
          <div className="rounded-lg border" aria-busy={list.isFetching}>
            <Table aria-label="Disputes">
              <TableHeader>
                <TableRow>
                  <TableHead>Evidence due</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead className="text-right">Amount</TableHead>
                  <TableHead>Customer</TableHead>
                  <TableHead>Dispute</TableHead>
                  <TableHead>Opened</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.items.map((d) => (
                  <TableRow
                    key={d.id}
                    data-testid="dispute-row"
                    className="cursor-pointer"
                    onClick={(e) => {
                      if ((e.target as HTMLElement).closest('a,button')) return;
                      navigate(disputePath(d.id));
                    }}
                  >
                    <TableCell>
                      <DueCountdown
                        dueBy={d.evidenceDueBy}
                        active={
                          d.due.state === 'needs_response' || d.due.state === 'staged' || d.due.state === 'overdue'
                        }
                      />
                      {d.remindedAt && d.due.msLeft !== null && (
                        <span className="ml-2 text-xs text-muted-foreground">reminded</span>
                      )}
                    </TableCell>
                    <TableCell>
                      <DisputeStateBadge state={d.due.state} />
                    </TableCell>
                    <TableCell className="capitalize">{reasonLabel(d.reason)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatMoney(d.amount, d.currency)}</TableCell>
                    <TableCell className="max-w-56 truncate">
                      {d.customer ? (
                        <Link to={`/customers/${d.customer.id}`} className="hover:underline">
                          {d.customer.name || d.customer.email}
                        </Link>
                      ) : (
                        <span className="text-muted-foreground">not linked</span>
                      )}
                    </TableCell>
                    <TableCell>
                      <Link to={disputePath(d.id)} className="font-mono text-xs hover:underline">
                        {d.id}
                      </Link>
                    </TableCell>
                    <TableCell className="text-muted-foreground">
                      <TimeAgo date={d.stripeCreated} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {data && pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">
            Page {page} of {pages}
          </span>
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
            Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={page >= pages}
            onClick={() => update({ page: String(page + 1) })}
          >
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}
