// A customer, answer first: who, status, plan, balance, then the verdict with its one-click
// repairs, then the details one tab below. The tab and the highlighted Stripe object live in the
// URL, so the page can be pasted into a ticket as it is.
import { useQuery } from '@tanstack/react-query';
import { ChevronLeftIcon, PlusIcon } from 'lucide-react';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { formatCredits } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { BlockActions } from '../blocks/block-actions';
import { CustomerStatusBadge } from './customer-badges';
import { EntitlementsTab } from './entitlements-tab';
import { LedgerTab } from './ledger-tab';
import { ManualGrantDialog } from './manual-grant-dialog';
import { NotesTab } from './notes-tab';
import { OverviewTab } from './overview-tab';
import { PaymentsTab } from './payments-tab';
import { TimelineTab } from './timeline-tab';
import { VerdictBanner } from './verdict-banner';

export type Overview = RouterOutputs['support']['overview'];

const TABS = [
  ['overview', 'Overview'],
  ['timeline', 'Timeline'],
  ['ledger', 'Ledger'],
  ['payments', 'Payments'],
  ['entitlements', 'Entitlements'],
  ['notes', 'Notes'],
] as const;
type Tab = (typeof TABS)[number][0];

function Stat({ label, children, className }: { label: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={cn('flex flex-col gap-0.5', className)}>
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

function Header({ o, onGrant }: { o: Overview; onGrant: () => void }) {
  const c = o.customer;
  const h = o.header;
  return (
    <header className="flex flex-col gap-3">
      <Link
        to="/customers"
        className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ChevronLeftIcon className="size-4" aria-hidden /> Customers
      </Link>
      <div className="flex items-start justify-between gap-3">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <h1 className="truncate text-xl font-semibold tracking-tight">{c.name || c.email || c.externalId}</h1>
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted-foreground">
            {c.name && <span>{c.email}</span>}
            <span className="flex items-center gap-1">
              user <CopyId value={c.externalId} />
            </span>
            {c.stripeCustomerId && <CopyId value={c.stripeCustomerId} />}
            <span className="flex items-center gap-1">
              id <CopyId value={c.id} />
            </span>
          </div>
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <BlockActions customer={{ ...c, status: h.state === 'blocked' ? 'blocked' : 'active' }} />
          <Button size="sm" variant="outline" onClick={onGrant}>
            <PlusIcon aria-hidden /> Manual grant
          </Button>
        </div>
      </div>
      <dl className="flex flex-wrap gap-x-8 gap-y-3 rounded-lg border px-4 py-3">
        <Stat label="Status">
          <span className="flex flex-wrap items-center gap-2" data-testid="customer-status">
            <CustomerStatusBadge status={h.state} reason={h.blockedReason} />
            {h.state === 'blocked' && (
              <span className="font-normal text-muted-foreground">
                {h.blockedReason}
                {h.blockedAt && (
                  <>
                    {' '}
                    · since <TimeAgo date={h.blockedAt} />
                  </>
                )}
              </span>
            )}
            {h.state === 'grace' && h.graceUntil && (
              <span className="font-normal text-muted-foreground">
                until <TimeAgo date={h.graceUntil} />
              </span>
            )}
          </span>
        </Stat>
        <Stat label="Plan">{h.plan ? `${h.plan.name}${h.plan.isDefault ? ' (default)' : ''}` : 'none'}</Stat>
        <Stat label="Balance">
          <span className="text-lg tabular-nums" data-testid="customer-balance">
            {formatCredits(h.balance)}
          </span>
        </Stat>
        <Stat label="Spendable now">
          <span className="tabular-nums">{formatCredits(h.available)}</span>
        </Stat>
        {h.frozen > 0 && (
          <Stat label="Frozen (dispute)">
            <span className="tabular-nums text-warning">{formatCredits(h.frozen)}</span>
          </Stat>
        )}
        {h.expiredPending > 0 && (
          <Stat label="Expired, not yet written off">
            <span className="tabular-nums">{formatCredits(h.expiredPending)}</span>
          </Stat>
        )}
        <Stat label="Customer since">
          <TimeAgo date={c.createdAt} />
        </Stat>
      </dl>
    </header>
  );
}

export function CustomerPage() {
  const { customerId = '' } = useParams();
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find(([key]) => key === params.get('tab'))?.[0] ?? 'overview') as Tab;
  const highlight = params.get('highlight');
  const [grantOpen, setGrantOpen] = useState(false);
  const [suggested, setSuggested] = useState<number | null>(null);
  const overview = useQuery(trpc.support.overview.queryOptions({ customerId }));

  const setTab = (next: string) => {
    const p = new URLSearchParams(params);
    p.set('tab', next);
    setParams(p, { replace: true });
  };
  const showEvidence = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('tab', 'timeline');
    p.set('highlight', id);
    setParams(p);
  };

  if (overview.isPending) return <SkeletonRows rows={10} />;
  if (overview.isError) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const o = overview.data;

  return (
    <div className="flex flex-col gap-4">
      <Header
        o={o}
        onGrant={() => {
          setSuggested(null);
          setGrantOpen(true);
        }}
      />
      <VerdictBanner
        customerId={customerId}
        onEvidence={showEvidence}
        onManualGrant={(credits) => {
          setSuggested(credits);
          setGrantOpen(true);
        }}
      />
      <Tabs.Root value={tab} onValueChange={setTab} className="flex flex-col gap-4">
        <Tabs.List aria-label="Customer details" className="flex gap-1 overflow-x-auto border-b">
          {TABS.map(([key, label]) => (
            <Tabs.Trigger
              key={key}
              value={key}
              className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-foreground data-[state=active]:font-medium data-[state=active]:text-foreground"
            >
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="overview" className="outline-none">
          <OverviewTab o={o} onShow={showEvidence} />
        </Tabs.Content>
        <Tabs.Content value="timeline" className="outline-none">
          <TimelineTab customerId={customerId} highlight={highlight} />
        </Tabs.Content>
        <Tabs.Content value="ledger" className="outline-none">
          <LedgerTab customerId={customerId} />
        </Tabs.Content>
        <Tabs.Content value="payments" className="outline-none">
          <PaymentsTab o={o} highlight={highlight} onShow={showEvidence} />
        </Tabs.Content>
        <Tabs.Content value="entitlements" className="outline-none">
          <EntitlementsTab o={o} customerId={customerId} />
        </Tabs.Content>
        <Tabs.Content value="notes" className="outline-none">
          <NotesTab o={o} />
        </Tabs.Content>
      </Tabs.Root>
      <ManualGrantDialog
        open={grantOpen}
        onOpenChange={setGrantOpen}
        customer={{ id: o.customer.id, email: o.customer.email }}
        balance={o.header.balance}
        limit={o.rules.manualGrantFinanceAbove}
        suggested={suggested}
      />
    </div>
  );
}
