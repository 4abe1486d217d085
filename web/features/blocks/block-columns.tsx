// The columns of the two block lists: who is blocked now, and every block and unblock.
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { StaffName } from '@/components/staff-name';
import { StatusBadge } from '@/components/status-badge';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import type { RouterOutputs } from '@/lib/trpc';
import { BlockActions } from './block-actions';

export type BlockedRow = RouterOutputs['blocks']['listBlocked']['items'][number];
export type HistoryRow = RouterOutputs['blocks']['history']['items'][number];

function RadarBadge({ status, error }: { status: string | null; error: string | null }) {
  if (!status) return <span className="text-muted-foreground">—</span>;
  return <StatusBadge kind="radar" status={status} title={error ?? undefined} />;
}

export function blockedColumns(windowDays: number): Array<ColumnDef<BlockedRow>> {
  return [
    {
      id: 'customer',
      header: 'Customer',
      meta: { className: 'max-w-56 truncate' },
      cell: ({ row: { original: i } }) => (
        <Link to={`/customers/${i.customer.id}`} className="font-medium hover:underline">
          {i.customer.name || i.customer.email}
        </Link>
      ),
    },
    {
      id: 'why',
      header: 'Why',
      meta: { className: 'max-w-80 truncate' },
      cell: ({ row: { original: i } }) => (
        <span title={i.customer.blockedReason ?? undefined}>{i.customer.blockedReason}</span>
      ),
    },
    {
      id: 'by',
      header: 'By',
      cell: ({ row }) => (row.original.byRule ? <Badge tone="warning">auto-block rule</Badge> : 'staff'),
    },
    {
      id: 'since',
      header: 'Since',
      meta: { className: 'text-muted-foreground' },
      cell: ({ row: { original: i } }) => (i.customer.blockedAt ? <TimeAgo date={i.customer.blockedAt} /> : '—'),
    },
    {
      id: 'disputes',
      header: `Disputes (${windowDays} d)`,
      meta: { className: 'text-right tabular-nums' },
      cell: ({ row }) => row.original.disputesInWindow,
    },
    {
      id: 'radar',
      header: 'Radar',
      cell: ({ row: { original: i } }) => (
        <RadarBadge status={i.block?.radarStatus ?? null} error={i.block?.radarError ?? null} />
      ),
    },
    {
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      meta: { className: 'text-right' },
      cell: ({ row: { original: i } }) => <BlockActions customer={{ ...i.customer, status: 'blocked' }} />,
    },
  ];
}

export const historyColumns: Array<ColumnDef<HistoryRow>> = [
  {
    id: 'when',
    header: 'When',
    meta: { className: 'text-muted-foreground' },
    cell: ({ row }) => <TimeAgo date={row.original.createdAt} />,
  },
  {
    id: 'action',
    header: 'Action',
    cell: ({ row: { original: e } }) => <Badge tone={e.action === 'block' ? 'danger' : 'success'}>{e.action}</Badge>,
  },
  {
    id: 'customer',
    header: 'Customer',
    meta: { className: 'max-w-56 truncate' },
    cell: ({ row: { original: e } }) => (
      <Link to={`/customers/${e.customer.id}`} className="hover:underline">
        {e.customer.name || e.customer.email}
      </Link>
    ),
  },
  {
    id: 'reason',
    header: 'Reason',
    meta: { className: 'max-w-80 truncate' },
    cell: ({ row: { original: e } }) => <span title={e.reason}>{e.reason}</span>,
  },
  {
    id: 'by',
    header: 'By',
    cell: ({ row: { original: e } }) =>
      e.actor.kind === 'rule' ? e.actor.label : <StaffName id={e.actorId} fallback={e.actor.label} />,
  },
  {
    id: 'radar',
    header: 'Radar',
    cell: ({ row: { original: e } }) => <RadarBadge status={e.radarStatus} error={e.radarError} />,
  },
];
