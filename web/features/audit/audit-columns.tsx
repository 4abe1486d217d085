// The columns of the audit log; the action opens the full record (before and after).
import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { StaffName } from '@/components/staff-name';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import type { RouterOutputs } from '@/lib/trpc';

export type AuditRow = RouterOutputs['audit']['list']['items'][number];

export function auditColumns(open: (row: AuditRow) => void): Array<ColumnDef<AuditRow>> {
  return [
    { id: 'when', header: 'When', cell: ({ row }) => <TimeAgo date={row.original.createdAt} /> },
    {
      id: 'who',
      header: 'Who (IP)',
      cell: ({ row: { original: r } }) => (
        <>
          <span className="flex items-center gap-1.5">
            <span className="block max-w-40 truncate">
              <StaffName id={r.actorId ?? r.actorEmail} fallback={r.actorEmail ?? undefined} />
            </span>
            {r.actorRole && <Badge tone="outline">{r.actorRole}</Badge>}
          </span>
          {/* The IP under the person, not a column of its own: the table then fits its box. */}
          {r.ip && <span className="block font-mono text-xs text-muted-foreground">{r.ip}</span>}
        </>
      ),
    },
    {
      id: 'action',
      header: 'Action',
      cell: ({ row: { original: r } }) => (
        <button
          type="button"
          className="max-w-44 text-left font-mono text-xs whitespace-normal [overflow-wrap:anywhere] outline-none hover:underline focus-visible:ring-2 focus-visible:ring-ring"
          onClick={() => open(r)}
        >
          {r.action}
        </button>
      ),
    },
    {
      id: 'target',
      header: 'Target',
      meta: { className: 'text-xs' },
      cell: ({ row: { original: r } }) => (
        <>
          <span className="block text-muted-foreground">{r.targetType}</span>
          {r.targetId && <CopyId value={r.targetId} className="max-w-40" />}
        </>
      ),
    },
    {
      id: 'customer',
      header: 'Customer',
      cell: ({ row: { original: r } }) =>
        r.customer ? (
          <Link
            className="block max-w-40 truncate hover:underline"
            title={r.customer.email || r.customer.externalId}
            to={`/customers/${r.customer.id}?tab=timeline&kinds=audit`}
          >
            {r.customer.email || r.customer.externalId}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      id: 'reason',
      header: 'Reason',
      // Wraps (two lines at most) so the table fits its box; a cell's own max-width would not bind.
      cell: ({ row: { original: r } }) => (
        <span className="line-clamp-2 max-w-72 min-w-36 whitespace-normal" title={r.reason ?? undefined}>
          {r.reason ?? '—'}
        </span>
      ),
    },
  ];
}
