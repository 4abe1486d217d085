// The columns of the dispute list: the deadline first (a live countdown), then what and whose.
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { TimeAgo } from '@/components/time-ago';
import { formatMoney } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { disputePath } from './dispute-path';
import { DisputeStateBadge, reasonLabel } from './dispute-words';
import { DueCountdown } from './due-countdown';

export type DisputeRow = RouterOutputs['disputes']['list']['items'][number];

export const disputeColumns: Array<ColumnDef<DisputeRow>> = [
  {
    id: 'due',
    header: 'Evidence due',
    cell: ({ row: { original: d } }) => (
      <>
        <DueCountdown
          dueBy={d.evidenceDueBy}
          active={d.due.state === 'needs_response' || d.due.state === 'staged' || d.due.state === 'overdue'}
        />
        {d.remindedAt && d.due.msLeft !== null && <span className="ml-2 text-xs text-muted-foreground">reminded</span>}
      </>
    ),
  },
  { id: 'status', header: 'Status', cell: ({ row }) => <DisputeStateBadge state={row.original.due.state} /> },
  {
    id: 'reason',
    header: 'Reason',
    meta: { className: 'capitalize' },
    cell: ({ row }) => reasonLabel(row.original.reason),
  },
  {
    id: 'amount',
    header: 'Amount',
    meta: { className: 'text-right tabular-nums' },
    cell: ({ row: { original: d } }) => formatMoney(d.amount, d.currency),
  },
  {
    id: 'customer',
    header: 'Customer',
    meta: { className: 'max-w-56 truncate' },
    cell: ({ row: { original: d } }) =>
      d.customer ? (
        <Link to={`/customers/${d.customer.id}`} className="hover:underline">
          {d.customer.name || d.customer.email}
        </Link>
      ) : (
        <span className="text-muted-foreground">not linked</span>
      ),
  },
  {
    id: 'dispute',
    header: 'Dispute',
    cell: ({ row: { original: d } }) => (
      <Link to={disputePath(d.id)} className="font-mono text-xs hover:underline">
        {d.id}
      </Link>
    ),
  },
  {
    id: 'opened',
    header: 'Opened',
    meta: { className: 'text-muted-foreground' },
    cell: ({ row }) => <TimeAgo date={row.original.stripeCreated} />,
  },
];
