// Beside the evidence: the disputed charge and what happened to its credits, and the customer
// with their payments, other disputes and how close they are to the auto-block rule.
import { Bought } from '@/components/catalog-name';
import { Link } from 'react-router';
import { CopyId, shortId } from '@/components/copy-id';
import { StatusBadge } from '@/components/status-badge';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCredits, formatMoney } from '@/lib/format';
import { cn } from '@/lib/utils';
import type { DisputeView } from './dispute-page';
import { reasonLabel } from './dispute-words';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex items-baseline justify-between gap-3 py-1 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 text-right">{children}</dd>
    </div>
  );
}

export function DisputeSidebar({ v }: { v: DisputeView }) {
  const p = v.payment;
  const c = v.customer;
  const h = v.history;
  const nearRule = h.disputesInWindow >= h.rule.autoBlockDisputes;
  return (
    <aside className="flex flex-col gap-4" aria-label="Charge and customer">
      <Card>
        <CardHeader>
          <CardTitle>Disputed charge</CardTitle>
        </CardHeader>
        <CardContent>
          {p ? (
            <dl>
              <Row label="Amount">{formatMoney(p.amount, p.currency)}</Row>
              <Row label="Paid">{p.paidAt ? <TimeAgo date={p.paidAt} /> : '—'}</Row>
              <Row label="Bought">
                <Bought kind={p.kind} catalogKey={p.catalogKey} fallback={p.kind} />
              </Row>
              {p.chargeId && (
                <Row label="Charge">
                  <CopyId value={p.chargeId} />
                </Row>
              )}
              {p.paymentIntentId && (
                <Row label="Payment intent">
                  <CopyId value={p.paymentIntentId} />
                </Row>
              )}
              <Row label="Purchase IP">
                {p.purchaseIp ?? <span className="text-muted-foreground">not recorded</span>}
              </Row>
              {v.lot && (
                <>
                  <Row label="Credits bought">{formatCredits(v.lot.granted)}</Row>
                  <Row label="Credits left">
                    <span className={cn('tabular-nums', v.lot.frozen && 'text-warning')} data-testid="lot-remaining">
                      {formatCredits(v.lot.remaining)} {v.lot.frozen ? '(frozen)' : '(spendable)'}
                    </span>
                  </Row>
                </>
              )}
            </dl>
          ) : (
            <p className="text-sm text-muted-foreground">This dispute is not linked to one of our payments yet.</p>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Customer</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {c ? (
            <>
              <div className="flex flex-col gap-0.5">
                <Link to={`/customers/${c.id}`} className="font-medium hover:underline">
                  {c.name || c.email}
                </Link>
                {c.name && <span className="text-sm text-muted-foreground">{c.email}</span>}
                <span className="text-xs text-muted-foreground">
                  customer since <TimeAgo date={c.createdAt} />
                </span>
                {c.status === 'blocked' && (
                  <Badge tone="danger" className="mt-1 w-fit" title={c.blockedReason ?? undefined}>
                    blocked: {c.blockedReason}
                  </Badge>
                )}
              </div>
              <p className={cn('text-sm', nearRule ? 'text-destructive' : 'text-muted-foreground')}>
                {h.disputesInWindow} dispute{h.disputesInWindow === 1 ? '' : 's'} in the last{' '}
                {h.rule.autoBlockWindowDays} days; more than {h.rule.autoBlockDisputes} blocks the account.
              </p>
              <div>
                <h3 className="mb-1 text-xs font-medium text-muted-foreground">Payments</h3>
                <ul className="flex flex-col gap-1 text-sm">
                  {h.payments.map((x) => (
                    <li key={x.id} className="flex items-center justify-between gap-2">
                      <span className="text-muted-foreground">{x.paidAt ? <TimeAgo date={x.paidAt} /> : 'unpaid'}</span>
                      <span className="tabular-nums">{formatMoney(x.amount, x.currency)}</span>
                      {x.disputed ? <Badge tone="danger">disputed</Badge> : <Badge tone="success">{x.status}</Badge>}
                    </li>
                  ))}
                </ul>
              </div>
              {h.disputes.length > 0 && (
                <div>
                  <h3 className="mb-1 text-xs font-medium text-muted-foreground">Other disputes</h3>
                  <ul className="flex flex-col gap-1 text-sm">
                    {h.disputes.map((x) => (
                      <li key={x.id} className="flex items-center justify-between gap-2">
                        {/* Ids shortened in the middle, words kept on one line: the sidebar is narrow. */}
                        <Link
                          to={`/disputes/${x.id}`}
                          title={x.id}
                          className="shrink-0 font-mono text-xs hover:underline"
                        >
                          {shortId(x.id)}
                        </Link>
                        <span className="min-w-0 truncate capitalize text-muted-foreground">
                          {reasonLabel(x.reason)}
                        </span>
                        <StatusBadge kind="dispute" status={x.status} className="shrink-0 whitespace-nowrap" />
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          ) : (
            <p className="text-sm text-muted-foreground">No customer is linked to this dispute.</p>
          )}
        </CardContent>
      </Card>
    </aside>
  );
}
