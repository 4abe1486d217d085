// Every stored Stripe event, newest first, filtered by status, type, customer, id and date (all in
// the URL), a server page at a time. Support and admin select events to dry-run and reprocess.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EVENT_STATUSES } from '../../../server/contracts/webhooks.ts';
import { useStaff } from '@/app/session';
import { CopyId, shortId } from '@/components/copy-id';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';
import { ReprocessDialog } from './reprocess-dialog';

const FILTER_KEYS = ['status', 'type', 'customer', 'q', 'from', 'to'] as const;
const PAGE_SIZES = [25, 50, 100];

function day(value: string | null): Date | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
}

export function EventsTab() {
  const trpc = useTRPC();
  const me = useStaff();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = PAGE_SIZES.includes(Number(params.get('size'))) ? Number(params.get('size')) : 50;
  const status = EVENT_STATUSES.find((s) => s === params.get('status'));
  const to = day(params.get('to'));
  const input = {
    status,
    type: params.get('type') || undefined,
    customer: params.get('customer') || undefined,
    search: params.get('q') || undefined,
    from: day(params.get('from')),
    to: to ? new Date(to.getTime() + 86_400_000) : undefined,
    page,
    pageSize,
  };
  const events = useQuery(trpc.webhooksAdmin.events.queryOptions(input, { placeholderData: keepPreviousData }));
  const types = useQuery(trpc.webhooksAdmin.eventTypes.queryOptions());
  const [draft, setDraft] = useState(() => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])));
  const [selected, setSelected] = useState<string[]>([]);
  const [reprocess, setReprocess] = useState<string[] | null>(null);
  const canReprocess = me.role !== 'finance';

  const setParam = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p);
    setSelected([]);
  };
  const apply = () =>
    setParam({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, draft[k]?.trim() || null])), page: null });
  const clear = () => {
    setDraft(Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])));
    setParam({ ...Object.fromEntries(FILTER_KEYS.map((k) => [k, null])), page: null });
  };
  const field = (key: (typeof FILTER_KEYS)[number]) => ({
    id: `events-${key}`,
    value: draft[key] ?? '',
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
  });

  const items = events.data?.items ?? [];
  const total = events.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const allOnPage = items.length > 0 && items.every((e) => selected.includes(e.id));
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));

  return (
    <div className="flex flex-col gap-3">
      <form
        className="flex flex-wrap items-end gap-3"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-status">Status</Label>
          <NativeSelect {...field('status')}>
            <option value="">any</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-type">Type</Label>
          <Input {...field('type')} className="h-8 w-60" list="event-types" placeholder="invoice.paid, or invoice." />
          <datalist id="event-types">
            {types.data?.map((t) => (
              <option key={t.type} value={t.type}>
                {formatCredits(t.events)} stored
              </option>
            ))}
          </datalist>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-customer">Customer</Label>
          <Input {...field('customer')} className="h-8 w-56" placeholder="email, user id, cus_…" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-q">Event or object id</Label>
          <Input {...field('q')} className="h-8 w-52 font-mono text-xs" placeholder="evt_…, cs_…, in_…" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-from">Created from (UTC)</Label>
          <Input {...field('from')} type="date" className="h-8" />
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="events-to">to (UTC)</Label>
          <Input {...field('to')} type="date" className="h-8" />
        </div>
        <Button type="submit" size="sm">
          Apply
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={clear}>
          Clear
        </Button>
      </form>
      {events.data?.customers && events.data.customers.length === 0 && (
        <p role="status" className="text-sm text-warning">
          No customer matches “{params.get('customer')}”.
        </p>
      )}

      {canReprocess && selected.length > 0 && (
        <div
          role="toolbar"
          aria-label="Selected events"
          className="flex flex-wrap items-center gap-2 rounded-md border bg-muted/40 px-3 py-2 text-sm"
        >
          <span>{formatCredits(selected.length)} selected</span>
          <Button size="sm" onClick={() => setReprocess(selected)}>
            Dry run and reprocess {formatCredits(selected.length)}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSelected([])}>
            Clear selection
          </Button>
        </div>
      )}

      {events.isPending && <SkeletonRows rows={10} />}
      {events.isError && <ErrorState error={events.error} onRetry={() => void events.refetch()} />}
      {events.data && items.length === 0 && (
        <EmptyState title="No events match">
          Stripe events appear here as they arrive at /api/stripe/webhook (and from reconciliation). Clear the filters
          to see them all.
        </EmptyState>
      )}
      {items.length > 0 && (
        <Table aria-label="Stripe events" aria-busy={events.isFetching}>
          <TableHeader>
            <TableRow>
              {canReprocess && (
                <TableHead className="w-8">
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    aria-label="Select every event on this page"
                    checked={allOnPage}
                    onChange={() =>
                      setSelected((s) =>
                        allOnPage
                          ? s.filter((id) => !items.some((e) => e.id === id))
                          : [...new Set([...s, ...items.map((e) => e.id)])],
                      )
                    }
                  />
                </TableHead>
              )}
              <TableHead>Event</TableHead>
              <TableHead>Type</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Customer</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="text-right">
                <abbr title="Deliveries received · processing attempts" className="no-underline">
                  Deliv. · tries
                </abbr>
              </TableHead>
              <TableHead>Last outcome</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {items.map((e) => (
              <TableRow key={e.id} data-state={selected.includes(e.id) ? 'selected' : undefined}>
                {canReprocess && (
                  <TableCell>
                    <input
                      type="checkbox"
                      className="size-4 accent-primary"
                      aria-label={`Select ${e.id}`}
                      checked={selected.includes(e.id)}
                      onChange={() => toggle(e.id)}
                    />
                  </TableCell>
                )}
                <TableCell>
                  <span className="flex items-center gap-1">
                    <Link
                      to={`/webhooks/${e.id}`}
                      title={e.id}
                      aria-label={e.id}
                      className="font-mono text-xs underline-offset-2 hover:underline"
                    >
                      {shortId(e.id)}
                    </Link>
                    <CopyId value={e.id} className="[&>span:first-child]:sr-only" />
                  </span>
                </TableCell>
                <TableCell>{e.type}</TableCell>
                <TableCell>
                  <EventStatusBadge status={e.status} />
                </TableCell>
                <TableCell>
                  {e.customer ? (
                    <Link
                      to={`/customers/${e.customerId}`}
                      className="block max-w-48 truncate underline-offset-2 hover:underline"
                      title={e.customer.email}
                    >
                      {e.customer.email}
                    </Link>
                  ) : (
                    <span className="text-muted-foreground">not linked</span>
                  )}
                </TableCell>
                <TableCell>
                  <TimeAgo date={e.created} />
                </TableCell>
                <TableCell className="text-right">
                  {formatCredits(e.deliveries)} · {formatCredits(e.attempts)}
                </TableCell>
                <TableCell className="text-muted-foreground">
                  {/* Wraps (two lines at most) so the table fits its box; a cell's own max-width would not bind. */}
                  <span
                    className="line-clamp-2 max-w-64 min-w-40 whitespace-normal [overflow-wrap:anywhere]"
                    title={e.lastError ?? e.lastOutcome?.summary ?? ''}
                  >
                    {e.lastError ? (
                      <span className="text-destructive">{e.lastError}</span>
                    ) : (
                      (e.lastOutcome?.summary ?? '—')
                    )}
                  </span>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {events.data && total > 0 && (
        <nav aria-label="Event pages" className="flex flex-wrap items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground tabular-nums">
            {formatCredits((page - 1) * pageSize + 1)}–{formatCredits(Math.min(page * pageSize, total))} of{' '}
            {formatCredits(total)} · page {page} of {pages}
          </span>
          <NativeSelect
            aria-label="Events per page"
            value={String(pageSize)}
            onChange={(e) => setParam({ size: e.target.value, page: null })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n} per page
              </option>
            ))}
          </NativeSelect>
          <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setParam({ page: String(page - 1) })}>
            Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={page >= pages}
            onClick={() => setParam({ page: String(page + 1) })}
          >
            Next
          </Button>
        </nav>
      )}
      <ReprocessDialog
        eventIds={reprocess ?? []}
        open={!!reprocess}
        onOpenChange={(o) => {
          if (!o) {
            setReprocess(null);
            setSelected([]);
          }
        }}
      />
    </div>
  );
}
