// The policies and rules in force, read-only here: they are part of the catalog (edited there as a
// new version, so every change is audited and can be restored). Dispute evidence quotes the
// refund and cancellation policies word for word (issue 16: Settings shows what it promises).
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';

function Policy({ title, text }: { title: string; text: string }) {
  return (
    <section className="flex flex-col gap-1">
      <h3 className="text-sm font-medium">{title}</h3>
      {text.trim() ? (
        <p className="text-sm whitespace-pre-wrap">{text}</p>
      ) : (
        <p className="text-sm text-muted-foreground">Not set: dispute evidence goes out without it.</p>
      )}
    </section>
  );
}

export function PoliciesCard() {
  const trpc = useTRPC();
  const rules = useQuery(trpc.system.policies.queryOptions());
  const r = rules.data;
  return (
    <Card data-testid="policies">
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-2">
        <div className="flex flex-col gap-1.5">
          <CardTitle>Policies and rules</CardTitle>
          <CardDescription>Part of the catalog: change them there, as a new catalog version.</CardDescription>
        </div>
        <Button asChild size="sm" variant="outline">
          <Link to="/catalog">Edit in the Catalog</Link>
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {rules.isPending && <SkeletonRows rows={4} />}
        {rules.isError && <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />}
        {r && (
          <>
            <Policy title="Refund policy" text={r.refundPolicy} />
            <Policy title="Cancellation policy" text={r.cancellationPolicy} />
            <Policy title="Product description (for the bank)" text={r.productDescription} />
            <ul className="grid gap-1 text-sm sm:grid-cols-2">
              <li>
                Refunds above {formatMoney(r.refundApprovalAbove, r.refundApprovalCurrency)} wait for a second approver
              </li>
              <li>
                Manual grants above {formatCredits(r.manualGrantFinanceAbove)} credits per customer in{' '}
                {r.manualGrantWindowHours} h need finance
              </li>
              <li>
                Auto-block after more than {r.autoBlockDisputes} disputes in {r.autoBlockWindowDays} days
                {r.radarBlockList ? ', also on the Radar block list' : ''}
              </li>
              <li>Grace period after a failed renewal: {r.gracePeriodDays} days</li>
            </ul>
          </>
        )}
      </CardContent>
    </Card>
  );
}
