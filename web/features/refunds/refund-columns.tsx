// The columns of the refund lists (awaiting approval, history). The last column is the decision
// for a request that waits (the page supplies it), or the formula the refund was made with.
import type { ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { StaffName } from '@/components/staff-name';
import { TimeAgo } from '@/components/time-ago';
import { formatCredits, formatMoney } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { RefundStatusBadge } from './refund-status-badge';

export type RefundItem = RouterOutputs['refunds']['list']['items'][number];

/** The Stripe object the refund goes to: charge, else payment intent, invoice or session. */
export function target(item: RefundItem): string | null {
  const p = item.payment;
  return p?.chargeId ?? p?.paymentIntentId ?? p?.invoiceId ?? p?.checkoutSessionId ?? null;
}

export function refundColumns(decide: (item: RefundItem) => ReactNode): Array<ColumnDef<RefundItem>> {
  return [
    {
      id: 'requested',
      header: 'Requested',
      cell: ({ row }) => <TimeAgo date={row.original.createdAt} />,
    },
    {
      id: 'customer',
      header: 'Customer',
      cell: ({ row: { original: item } }) =>
        item.customer ? (
          <Link
            to={`/customers/${item.customer.id}?tab=payments`}
            className="block max-w-48 truncate hover:underline"
            title={item.customer.email || item.customer.externalId}
          >
            {item.customer.email || item.customer.externalId}
          </Link>
        ) : (
          '—'
        ),
    },
    {
      id: 'payment',
      header: 'Payment',
      cell: ({ row: { original: item } }) => {
        const id = target(item);
        return (
          <div className="flex flex-col gap-0.5">
            {id ? <CopyId value={id} className="max-w-48" /> : '—'}
            {item.stripeRefundId && <CopyId value={item.stripeRefundId} className="max-w-48" />}
          </div>
        );
      },
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row: { original: item } }) => (
        <div className="flex flex-col items-start gap-1">
          <RefundStatusBadge status={item.status} />
          {item.origin === 'stripe_dashboard' && (
            <span className="text-xs text-muted-foreground">Stripe dashboard</span>
          )}
          {item.error && item.status !== 'succeeded' && (
            <span className="max-w-64 text-xs whitespace-normal text-muted-foreground">{item.error}</span>
          )}
        </div>
      ),
    },
    {
      id: 'amount',
      header: 'Amount',
      meta: { className: 'text-right tabular-nums' },
      cell: ({ row: { original: item } }) => formatMoney(item.amount, item.currency),
    },
    {
      id: 'credits',
      header: 'Credits',
      meta: { className: 'text-right tabular-nums' },
      cell: ({ row: { original: item } }) =>
        item.status === 'pending_approval'
          ? formatCredits(item.currentCredits ?? 0)
          : item.creditsClawedBack
            ? `−${formatCredits(item.creditsClawedBack)}`
            : '—',
    },
    {
      id: 'by',
      header: 'By',
      meta: { className: 'text-xs' },
      cell: ({ row: { original: item } }) => (
        <>
          <div>
            {item.requestedBy ? (
              <StaffName id={item.requestedBy.id} fallback={item.requestedBy.email ?? undefined} />
            ) : item.origin === 'stripe_dashboard' ? (
              'Stripe'
            ) : (
              '—'
            )}
          </div>
          {item.decidedBy && item.status !== 'pending_approval' && (
            <div className="text-muted-foreground">
              decided: <StaffName id={item.decidedBy.id} fallback={item.decidedBy.email ?? undefined} />
            </div>
          )}
          {item.reason && (
            <div className="max-w-56 truncate text-muted-foreground" title={item.reason}>
              {item.reason}
            </div>
          )}
        </>
      ),
    },
    {
      id: 'decision',
      header: () => <span className="sr-only">Decision or formula</span>,
      meta: { className: 'text-right' },
      cell: ({ row: { original: item } }) => {
        const calc = item.current ?? item.calculation;
        if (!calc) return null;
        return item.status === 'pending_approval' ? (
          decide(item)
        ) : (
          <span className="block max-w-72 text-left font-mono text-[11px] text-muted-foreground" title={calc.formula}>
            {calc.formula}
          </span>
        );
      },
    },
  ];
}
