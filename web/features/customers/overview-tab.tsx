// The details behind the answer, one panel each: credit lots in the order draws use them,
// entitlements and where each comes from, subscription and invoices, payments with their refunds
// and disputes, usage by feature, notes and the block history.
import { PlanName } from '@/components/catalog-name';
import type { ReactNode } from 'react';
import { CopyId, shortId } from '@/components/copy-id';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StaffName } from '@/components/staff-name';
import { StatusBadge } from '@/components/status-badge';
import { formatCredits, formatDate, formatMoney } from '@/lib/format';
import type { Overview } from './customer-page';
import { EntitlementValue, SOURCE_WORDS } from './entitlements-tab';

function Panel({
  title,
  description,
  children,
  className,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <Card className={className}>
      <CardHeader className="pb-0">
        <CardTitle className="text-sm">{title}</CardTitle>
        {description && <CardDescription className="text-xs">{description}</CardDescription>}
      </CardHeader>
      <CardContent className="pt-3">{children}</CardContent>
    </Card>
  );
}

function Muted({ children }: { children: ReactNode }) {
  return <p className="text-sm text-muted-foreground">{children}</p>;
}

const LOT_SOURCE: Record<string, string> = {
  pack_purchase: 'pack',
  subscription_period: 'subscription',
  promo: 'promo',
  manual: 'manual',
};

function LotsPanel({ o }: { o: Overview }) {
  const lots = o.lots.open;
  return (
    <Panel title="Credit lots" description={o.lots.drawOrder} className="lg:col-span-2">
      {lots.length === 0 ? (
        <Muted>No credits left in any lot. Lots appear with each purchase, renewal or grant.</Muted>
      ) : (
        <Table aria-label="Credit lots">
          <TableHeader>
            <TableRow>
              <TableHead className="w-8">Order</TableHead>
              <TableHead>Source</TableHead>
              <TableHead>Basis</TableHead>
              <TableHead className="text-right">Granted</TableHead>
              <TableHead className="text-right">Remaining</TableHead>
              <TableHead>Expires</TableHead>
              <TableHead>Paid by</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {lots.map((l) => (
              <TableRow key={l.id}>
                <TableCell className="tabular-nums text-muted-foreground">{l.drawPosition ?? '—'}</TableCell>
                <TableCell>
                  {LOT_SOURCE[l.source] ?? l.source}
                  {l.frozen && (
                    <Badge tone="warning" className="ml-2">
                      frozen
                    </Badge>
                  )}
                  {l.expired && (
                    <Badge tone="neutral" className="ml-2">
                      expired
                    </Badge>
                  )}
                </TableCell>
                <TableCell>
                  {l.costBasis === 'paid' && l.amountPaid != null && l.currency ? (
                    <span>paid {formatMoney(l.amountPaid, l.currency)}</span>
                  ) : (
                    <span className="text-muted-foreground">free</span>
                  )}
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatCredits(l.granted)}</TableCell>
                <TableCell className="text-right font-medium tabular-nums">{formatCredits(l.remaining)}</TableCell>
                <TableCell>
                  {l.expiresAt ? <TimeAgo date={l.expiresAt} /> : <span className="text-muted-foreground">never</span>}
                </TableCell>
                <TableCell>
                  {l.stripeReference ? <CopyId value={l.stripeReference} className="max-w-44" /> : '—'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

function EntitlementsPanel({ o }: { o: Overview }) {
  const e = o.entitlements;
  return (
    <Panel
      title="Entitlements"
      description={
        e.blocked
          ? 'Blocked: every feature is refused.'
          : e.plan
            ? `From plan ${e.plan.name} and overrides.`
            : 'No plan.'
      }
    >
      {e.features.length === 0 ? (
        <Muted>No features in the catalog yet.</Muted>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {e.features.map((f) => (
            <li key={f.key} className="flex items-center justify-between gap-2">
              <span>{f.key}</span>
              <span className="flex items-center gap-2">
                <EntitlementValue value={f.value} />
                <span className="text-xs text-muted-foreground">{SOURCE_WORDS[f.source] ?? f.source}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function SubscriptionPanel({ o }: { o: Overview }) {
  const sub = o.subscriptions[0];
  return (
    <Panel title="Subscription and invoices">
      {!sub ? (
        <Muted>No subscription. It appears when the customer subscribes through Checkout.</Muted>
      ) : (
        <div className="flex flex-col gap-2 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <CopyId value={sub.id} />
            <StatusBadge kind="subscription" status={sub.status} />
            <span>{sub.planKey ? <PlanName planKey={sub.planKey} /> : 'unknown plan'}</span>
          </div>
          {sub.currentPeriodEnd && (
            <p className="text-muted-foreground">
              {sub.cancelAtPeriodEnd ? 'Ends' : 'Renews'} <TimeAgo date={sub.currentPeriodEnd} />
            </p>
          )}
          {sub.graceUntil && (
            <p className="text-warning">
              Payment failed; in grace until <TimeAgo date={sub.graceUntil} />
            </p>
          )}
          {o.invoices.length > 0 && (
            <ul className="mt-1 flex flex-col gap-1">
              {o.invoices.slice(0, 4).map((i) => (
                <li key={i.id} className="flex items-center justify-between gap-2">
                  <CopyId value={i.invoiceId ?? i.id} className="max-w-40" />
                  <span className="flex items-center gap-2">
                    <span className="tabular-nums">{formatMoney(i.amount, i.currency)}</span>
                    <StatusBadge kind="payment" status={i.status} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Panel>
  );
}

function PaymentsPanel({ o, onShow }: { o: Overview; onShow: (id: string) => void }) {
  return (
    <Panel title="Payments" description="Credit packs; see the Payments tab for all, with refunds and disputes.">
      {o.payments.length === 0 ? (
        <Muted>No pack payments yet.</Muted>
      ) : (
        <ul className="flex flex-col gap-1.5 text-sm">
          {o.payments.slice(0, 5).map((p) => {
            const ref = p.checkoutSessionId ?? p.paymentIntentId ?? p.id;
            return (
              <li key={p.id} className="flex items-center justify-between gap-2">
                <button
                  type="button"
                  className="truncate font-mono text-xs hover:underline focus-visible:ring-2 focus-visible:ring-ring outline-none"
                  title={ref}
                  aria-label={`Show payment ${ref}`}
                  onClick={() => onShow(ref)}
                >
                  {/* Cut in the middle like every id (copy-id.tsx): the end is what people compare. */}
                  {shortId(ref)}
                </button>
                <span className="flex shrink-0 items-center gap-2">
                  <span className="tabular-nums">{formatMoney(p.amount, p.currency)}</span>
                  <StatusBadge kind="payment" status={p.status} />
                  {p.refunds.length > 0 && (
                    <Badge tone="neutral">
                      {p.refunds.length} refund{p.refunds.length === 1 ? '' : 's'}
                    </Badge>
                  )}
                  {p.disputes.length > 0 && <Badge tone="danger">disputed</Badge>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}

function UsagePanel({ o }: { o: Overview }) {
  const total = o.usage.byFeature.reduce((s, f) => s + f.credits, 0);
  return (
    <Panel title="Usage" description={`Last ${o.usage.sinceDays} days, by feature.`}>
      {o.usage.byFeature.length === 0 ? (
        <Muted>No usage in the last {o.usage.sinceDays} days.</Muted>
      ) : (
        <Table aria-label="Usage by feature">
          <TableHeader>
            <TableRow>
              <TableHead>Feature</TableHead>
              <TableHead className="text-right">Requests</TableHead>
              <TableHead className="text-right">Credits</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {o.usage.byFeature.map((f) => (
              <TableRow key={f.feature}>
                <TableCell>{f.feature}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCredits(f.requests)}</TableCell>
                <TableCell className="text-right tabular-nums">{formatCredits(f.credits)}</TableCell>
              </TableRow>
            ))}
            <TableRow>
              <TableCell className="font-medium">Total</TableCell>
              <TableCell />
              <TableCell className="text-right font-medium tabular-nums">{formatCredits(total)}</TableCell>
            </TableRow>
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

function NotesBlocksPanel({ o }: { o: Overview }) {
  return (
    <Panel title="Notes and blocks">
      <div className="flex flex-col gap-3 text-sm">
        {o.notes.length === 0 ? (
          <Muted>No notes. Add one on the Notes tab.</Muted>
        ) : (
          <ul className="flex flex-col gap-2">
            {o.notes.slice(0, 3).map((n) => (
              <li key={n.id}>
                <p className="line-clamp-2">{n.body}</p>
                <p className="text-xs text-muted-foreground">
                  {n.author?.name ?? n.authorId} · <TimeAgo date={n.createdAt} />
                </p>
              </li>
            ))}
          </ul>
        )}
        <div>
          <h3 className="mb-1 text-xs font-medium text-muted-foreground">Block history</h3>
          {o.blocks.length === 0 ? (
            <Muted>Never blocked.</Muted>
          ) : (
            <ul className="flex flex-col gap-1">
              {o.blocks.map((b) => (
                <li key={b.id} className="flex flex-wrap items-center gap-2">
                  <Badge tone={b.action === 'block' ? 'danger' : 'success'}>
                    {b.action === 'block' ? 'blocked' : 'unblocked'}
                  </Badge>
                  <span>{b.reason}</span>
                  <span className="text-xs text-muted-foreground">
                    {b.actorId === 'system' ? 'auto-block rule' : <StaffName id={b.actorId} />} ·{' '}
                    {formatDate(b.createdAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p className="mt-1 text-xs text-muted-foreground">
            {o.disputes.inWindow} dispute{o.disputes.inWindow === 1 ? '' : 's'} in the last {o.disputes.windowDays} days
            (auto-block above {o.disputes.blockAt}).
          </p>
        </div>
      </div>
    </Panel>
  );
}

export function OverviewTab({ o, onShow }: { o: Overview; onShow: (id: string) => void }) {
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      <LotsPanel o={o} />
      <EntitlementsPanel o={o} />
      <SubscriptionPanel o={o} />
      <PaymentsPanel o={o} onShow={onShow} />
      <UsagePanel o={o} />
      <NotesBlocksPanel o={o} />
    </div>
  );
}
