// The columns of the Stripe event list; with `selectable`, a first column of checkboxes picks
// events for a dry run and reprocess (the selection is TanStack row selection, kept across pages).
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { CopyId, shortId } from '@/components/copy-id';
import { TimeAgo } from '@/components/time-ago';
import { formatCredits } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';

export type EventRow = RouterOutputs['webhooksAdmin']['events']['items'][number];

const selectColumn: ColumnDef<EventRow> = {
  id: 'select',
  meta: { className: 'w-8' },
  header: ({ table }) => (
    <input
      type="checkbox"
      className="size-4 accent-primary"
      aria-label="Select every event on this page"
      checked={table.getIsAllPageRowsSelected()}
      onChange={table.getToggleAllPageRowsSelectedHandler()}
    />
  ),
  cell: ({ row }) => (
    <input
      type="checkbox"
      className="size-4 accent-primary"
      aria-label={`Select ${row.original.id}`}
      checked={row.getIsSelected()}
      onChange={row.getToggleSelectedHandler()}
    />
  ),
};

const columns: Array<ColumnDef<EventRow>> = [
  {
    id: 'event',
    header: 'Event',
    cell: ({ row: { original: e } }) => (
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
    ),
  },
  { id: 'type', header: 'Type', cell: ({ row }) => row.original.type },
  { id: 'status', header: 'Status', cell: ({ row }) => <EventStatusBadge status={row.original.status} /> },
  {
    id: 'customer',
    header: 'Customer',
    cell: ({ row: { original: e } }) =>
      e.customer ? (
        <Link
          to={`/customers/${e.customerId}`}
          className="block max-w-48 truncate underline-offset-2 hover:underline"
          title={e.customer.email}
        >
          {e.customer.email}
        </Link>
      ) : (
        <span className="text-muted-foreground">not linked</span>
      ),
  },
  { id: 'created', header: 'Created', cell: ({ row }) => <TimeAgo date={row.original.created} /> },
  {
    id: 'tries',
    header: () => (
      <abbr title="Deliveries received · processing attempts" className="no-underline">
        Deliv. · tries
      </abbr>
    ),
    meta: { className: 'text-right' },
    cell: ({ row: { original: e } }) => `${formatCredits(e.deliveries)} · ${formatCredits(e.attempts)}`,
  },
  {
    id: 'outcome',
    header: 'Last outcome',
    meta: { className: 'text-muted-foreground' },
    // Wraps (two lines at most) so the table fits its box; a cell's own max-width would not bind.
    cell: ({ row: { original: e } }) => (
      <span
        className="line-clamp-2 max-w-64 min-w-40 whitespace-normal [overflow-wrap:anywhere]"
        title={e.lastError ?? e.lastOutcome?.summary ?? ''}
      >
        {e.lastError ? <span className="text-destructive">{e.lastError}</span> : (e.lastOutcome?.summary ?? '—')}
      </span>
    ),
  },
];

export function eventColumns(selectable: boolean): Array<ColumnDef<EventRow>> {
  return selectable ? [selectColumn, ...columns] : columns;
}
