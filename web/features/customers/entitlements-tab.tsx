// What the customer may use, feature by feature, where each value comes from (plan, override,
// temporary grant, or nothing because blocked), the overrides themselves, and the history of
// entitlement changes.
import { useQuery } from '@tanstack/react-query';
import { TimeAgo } from '@/components/time-ago';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import type { Overview } from './customer-page';
import { AutoTopupPanel } from './auto-topup-panel';
import { LowBalancePanel } from './low-balance-panel';
import { OverridesPanel } from './overrides-panel';
import { Words } from './words';

export const SOURCE_WORDS: Record<string, string> = {
  plan: 'from the plan',
  override: 'override',
  temporary_grant: 'temporary grant',
  none: 'not in the plan',
  blocked: 'blocked',
};

export function EntitlementValue({ value }: { value: boolean | number }) {
  if (value === true) return <Badge tone="success">on</Badge>;
  if (value === false) return <Badge tone="neutral">off</Badge>;
  return <span className="tabular-nums">limit {formatCredits(value)}</span>;
}

function Changes({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const changes = useQuery(trpc.support.timeline.queryOptions({ customerId, kinds: ['entitlement'], limit: 20 }));
  if (changes.isPending) return <SkeletonRows rows={3} />;
  if (changes.isError) return <ErrorState error={changes.error} onRetry={() => void changes.refetch()} />;
  if (!changes.data.items.length) {
    return (
      <p className="text-sm text-muted-foreground">
        No entitlement changes yet: they appear when the plan changes or an override is granted.
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-2 text-sm">
      {changes.data.items.map((i) => (
        <li key={i.key} className="flex flex-wrap items-baseline gap-2">
          <span className="font-medium">{i.title}</span>
          <span className="text-muted-foreground">
            <Words text={i.summary} />
          </span>
          <span className="text-xs text-muted-foreground">
            <TimeAgo date={i.at} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function EntitlementsTab({ o, customerId }: { o: Overview; customerId: string }) {
  const e = o.entitlements;
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle className="text-sm">Features</CardTitle>
        </CardHeader>
        <CardContent>
          {e.blocked && (
            <p role="status" className="mb-3 text-sm text-destructive">
              The customer is blocked: every feature is refused whatever the plan says.
            </p>
          )}
          <Table aria-label="Features and their source">
            <TableHeader>
              <TableRow>
                <TableHead>Feature</TableHead>
                <TableHead>Value</TableHead>
                <TableHead>Source</TableHead>
                <TableHead className="text-right">Credits per use</TableHead>
                <TableHead>Until</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {e.features.map((f) => (
                <TableRow key={f.key}>
                  <TableCell>{f.key}</TableCell>
                  <TableCell>
                    <EntitlementValue value={f.value} />
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    {f.source === 'plan' && e.plan ? `plan ${e.plan.name}` : (SOURCE_WORDS[f.source] ?? f.source)}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">
                    {f.creditCost == null ? 'free' : formatCredits(f.creditCost)}
                  </TableCell>
                  <TableCell>{f.expiresAt ? <TimeAgo date={f.expiresAt} /> : '—'}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <OverridesPanel customerId={customerId} email={o.customer.email} />
      <AutoTopupPanel customerId={customerId} />
      <LowBalancePanel customerId={customerId} />
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle className="text-sm">Changes</CardTitle>
        </CardHeader>
        <CardContent>
          <Changes customerId={customerId} />
        </CardContent>
      </Card>
    </div>
  );
}
