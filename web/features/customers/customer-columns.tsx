// The columns of the customer list (the search results): who, how to reach them, their standing.
import { PlanName } from '@/components/catalog-name';
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { TimeAgo } from '@/components/time-ago';
import { formatCredits } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { CustomerStatusBadge } from './customer-badges';
import { customerPath } from './customer-path';

export type CustomerHit = RouterOutputs['support']['search']['items'][number];

export const customerColumns: Array<ColumnDef<CustomerHit>> = [
  {
    id: 'customer',
    header: 'Customer',
    meta: { className: 'max-w-56' },
    cell: ({ row: { original: h } }) => (
      <Link
        to={customerPath(h.customer.id)}
        className="block truncate font-medium outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
      >
        {h.customer.name || h.customer.email || h.customer.externalId}
      </Link>
    ),
  },
  {
    id: 'email',
    header: 'Email',
    meta: { className: 'max-w-64 truncate text-muted-foreground' },
    cell: ({ row }) => row.original.customer.email || '—',
  },
  {
    id: 'externalId',
    header: 'User id',
    cell: ({ row }) => <CopyId value={row.original.customer.externalId} className="max-w-40" />,
  },
  {
    id: 'status',
    header: 'Status',
    cell: ({ row: { original: h } }) => (
      <CustomerStatusBadge status={h.customer.status} reason={h.customer.blockedReason} />
    ),
  },
  {
    id: 'plan',
    header: 'Plan',
    cell: ({ row }) => {
      const key = row.original.customer.planKey;
      return key ? <PlanName planKey={key} /> : <span className="text-muted-foreground">default</span>;
    },
  },
  {
    id: 'balance',
    header: 'Balance',
    meta: { className: 'text-right tabular-nums' },
    cell: ({ row }) => formatCredits(row.original.customer.balance),
  },
  {
    id: 'match',
    header: 'Matched on',
    meta: { className: 'text-xs text-muted-foreground' },
    cell: ({ row: { original: h } }) => (h.match.field === 'recent' ? '—' : h.match.label),
  },
  {
    id: 'created',
    header: 'Created',
    meta: { className: 'text-muted-foreground' },
    cell: ({ row }) => <TimeAgo date={row.original.customer.createdAt} />,
  },
];
