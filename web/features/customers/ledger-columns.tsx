// The columns of a customer's ledger: every entry with its signed credits and the balance after.
import type { ColumnDef } from '@tanstack/react-table';
import { CopyId } from '@/components/copy-id';
import { StaffName } from '@/components/staff-name';
import { TimeAgo } from '@/components/time-ago';
import { formatCredits } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { cn } from '@/lib/utils';

export type LedgerRow = RouterOutputs['ledger']['entries']['items'][number];

export const ledgerColumns: Array<ColumnDef<LedgerRow>> = [
  {
    id: 'entry',
    header: 'Entry',
    meta: { className: 'font-mono text-xs text-muted-foreground' },
    cell: ({ row }) => `#${row.original.id.toString()}`,
  },
  { id: 'when', header: 'When', cell: ({ row }) => <TimeAgo date={row.original.createdAt} /> },
  { id: 'type', header: 'Type', cell: ({ row }) => row.original.type.replaceAll('_', ' ') },
  {
    id: 'credits',
    header: 'Credits',
    meta: { className: 'text-right tabular-nums' },
    cell: ({ row: { original: e } }) => (
      <span className={cn(e.credits > 0 ? 'text-success' : e.credits < 0 ? '' : 'text-muted-foreground')}>
        {e.credits > 0 ? `+${formatCredits(e.credits)}` : formatCredits(e.credits)}
      </span>
    ),
  },
  {
    id: 'balanceAfter',
    header: 'Balance after',
    meta: { className: 'text-right tabular-nums' },
    cell: ({ row }) => formatCredits(row.original.balanceAfter),
  },
  {
    id: 'reason',
    header: 'Reason',
    meta: { className: 'max-w-80 truncate' },
    cell: ({ row: { original: e } }) => <span title={e.reason}>{e.reason}</span>,
  },
  {
    id: 'reference',
    header: 'Reference',
    cell: ({ row: { original: e } }) => (e.reference ? <CopyId value={e.reference} className="max-w-44" /> : '—'),
  },
  {
    id: 'by',
    header: 'By',
    meta: { className: 'text-xs text-muted-foreground' },
    cell: ({ row: { original: e } }) => <StaffName id={e.actorId} actorType={e.actorType} />,
  },
];
