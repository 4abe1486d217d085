// Every payment (packs and subscription invoices) with its refunds and disputes under it; the
// highlighted Stripe object (from the search box or the verdict) is marked.
import { Bought } from '@/components/catalog-name';
import { CopyId } from '@/components/copy-id';
import { EmptyState } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StatusBadge } from '@/components/status-badge';
import { formatCredits, formatMoney } from '@/lib/format';
import { cn } from '@/lib/utils';
import { RefundButton } from '@/features/refunds/refund-button';
import type { Overview } from './customer-page';

type Row = Overview['payments'][number];

function ids(p: Row): string[] {
  return [p.checkoutSessionId, p.invoiceId, p.paymentIntentId, p.chargeId].filter((x): x is string => !!x);
}

export function PaymentsTab({
  o,
  highlight,
  onShow,
}: {
  o: Overview;
  highlight: string | null;
  onShow: (id: string) => void;
}) {
  const rows = [...o.payments, ...o.invoices].sort(
    (a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime(),
  );
  if (!rows.length) {
    return (
      <EmptyState title="No payments yet">
        Payments appear when Stripe tells us about a checkout or an invoice.
      </EmptyState>
    );
  }
  return (
    <div className="rounded-lg border">
      <Table aria-label="Payments, refunds and disputes">
        <TableHeader>
          <TableRow>
            <TableHead>When</TableHead>
            <TableHead>What</TableHead>
            <TableHead>Stripe ids</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="text-right">Amount</TableHead>
            <TableHead className="text-right">Credits</TableHead>
            <TableHead />
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((p) => {
            const hit =
              highlight !== null &&
              (ids(p).includes(highlight) ||
                p.refunds.some((r) => r.stripeRefundId === highlight) ||
                p.disputes.some((d) => d.id === highlight));
            return [
              <TableRow
                key={p.id}
                data-highlighted={hit || undefined}
                className={cn(hit && 'bg-accent shadow-[inset_4px_0_0_var(--color-warning)]')}
              >
                <TableCell>
                  <TimeAgo date={p.paidAt ?? p.createdAt} />
                </TableCell>
                <TableCell>
                  {p.invoiceId ? 'Invoice' : 'Payment'}
                  {p.catalogKey && (
                    <>
                      {' for '}
                      <Bought kind={p.kind} catalogKey={p.catalogKey} />
                    </>
                  )}
                </TableCell>
                <TableCell>
                  <div className="flex flex-col">
                    {ids(p)
                      .slice(0, 2)
                      .map((id) => (
                        <CopyId key={id} value={id} className="max-w-52" />
                      ))}
                  </div>
                </TableCell>
                <TableCell>
                  <StatusBadge kind="payment" status={p.status} />
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {formatMoney(p.amount, p.currency)}
                  {p.amountRefunded > 0 && (
                    <div className="text-xs text-destructive">
                      −{formatMoney(p.amountRefunded, p.currency)} refunded
                    </div>
                  )}
                </TableCell>
                <TableCell className="text-right tabular-nums">
                  {p.creditsGranted ? formatCredits(p.creditsGranted) : '—'}
                </TableCell>
                <TableCell className="text-right whitespace-nowrap">
                  <RefundButton paymentId={p.id} status={p.status} />
                  <Button size="sm" variant="ghost" onClick={() => onShow(ids(p)[0] ?? p.id)}>
                    Timeline
                  </Button>
                </TableCell>
              </TableRow>,
              ...p.refunds.map((r) => (
                <TableRow key={r.id} className="text-muted-foreground">
                  <TableCell className="pl-6">
                    <TimeAgo date={r.createdAt} />
                  </TableCell>
                  <TableCell>↳ Refund{r.origin === 'stripe_dashboard' ? ' (Stripe dashboard)' : ''}</TableCell>
                  <TableCell>{r.stripeRefundId ? <CopyId value={r.stripeRefundId} /> : '—'}</TableCell>
                  <TableCell>
                    <StatusBadge kind="refund" status={r.status} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">−{formatMoney(r.amount, r.currency)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {r.creditsClawedBack ? `−${formatCredits(r.creditsClawedBack)}` : '—'}
                  </TableCell>
                  <TableCell />
                </TableRow>
              )),
              ...p.disputes.map((d) => (
                <TableRow key={d.id} className="text-muted-foreground">
                  <TableCell className="pl-6">
                    <TimeAgo date={d.stripeCreated} />
                  </TableCell>
                  <TableCell>↳ Dispute ({d.reason.replaceAll('_', ' ')})</TableCell>
                  <TableCell>
                    <CopyId value={d.id} />
                  </TableCell>
                  <TableCell>
                    <StatusBadge kind="dispute" status={d.status} />
                    {d.evidenceDueBy && !d.submittedAt && (
                      <Badge tone="warning" className="ml-1">
                        due <TimeAgo date={d.evidenceDueBy} />
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{formatMoney(d.amount, d.currency)}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {d.frozenCredits ? `${formatCredits(d.frozenCredits)} frozen` : '—'}
                  </TableCell>
                  <TableCell />
                </TableRow>
              )),
            ];
          })}
        </TableBody>
      </Table>
    </div>
  );
}
