// Reconciliation runs: Stripe's event list compared with what we stored (missing events are
// ingested and applied), then the drift check between Stripe's paid objects and our grants. Each
// run shows what it found, in words, with links to the events and customers.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { CopyId } from '@/components/copy-id';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { StatusBadge } from '@/components/status-badge';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { toastError } from '@/lib/errors';
import { formatCredits, formatMoney, formatUtc } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';

type Run = RouterOutputs['webhooks']['reconciliationRuns'][number];

interface Findings {
  since?: string;
  ingested?: Array<{ id: string; type: string; status: string }>;
  drift?: {
    paidWithoutGrant?: Array<{
      stripeObject: string;
      kind: string;
      amount: number;
      currency: string;
      stripeCustomer?: string | null;
    }>;
    grantsWithoutPayment?: Array<{ lotId: string; customerId: string; stripeReference: string; granted: number }>;
    grantsOnRefundedPayments?: Array<{ lotId: string; customerId: string; stripeReference: string; remaining: number }>;
    localOnly?: boolean;
  };
}

const findingsOf = (run: Pick<Run, 'findings'>) => (run.findings ?? {}) as Findings;

export function reconciliationSummary(
  run: Pick<Run, 'status' | 'eventsSeen' | 'eventsIngested' | 'findings' | 'error'>,
) {
  if (run.status === 'failed') return `failed: ${run.error ?? 'unknown error'}`;
  if (run.status === 'running') return 'running…';
  const d = findingsOf(run).drift;
  const drift =
    (d?.paidWithoutGrant?.length ?? 0) +
    (d?.grantsWithoutPayment?.length ?? 0) +
    (d?.grantsOnRefundedPayments?.length ?? 0);
  return `${formatCredits(run.eventsSeen)} Stripe events checked, ${formatCredits(run.eventsIngested)} missing ingested, ${formatCredits(drift)} drift finding${drift === 1 ? '' : 's'}`;
}

/** The customer a finding is about, by name and email, linked to their page. */
function CustomerRef({ run, id, stripeCustomer }: { run: Run; id?: string; stripeCustomer?: string | null }) {
  const c = run.customers.find((x) => (id ? x.id === id : !!stripeCustomer && x.stripeCustomerId === stripeCustomer));
  if (!c) {
    return stripeCustomer ? (
      <span className="text-muted-foreground">
        Stripe customer <CopyId value={stripeCustomer} /> (no customer here yet)
      </span>
    ) : (
      <span className="text-muted-foreground">customer unknown</span>
    );
  }
  return (
    <Link to={`/customers/${c.id}`} className="underline-offset-2 hover:underline">
      {c.name ? `${c.name} (${c.email})` : c.email}
    </Link>
  );
}

function RunDetails({ run }: { run: Run }) {
  const f = findingsOf(run);
  const d = f.drift ?? {};
  return (
    <div className="flex flex-col gap-3 text-sm">
      {f.since && <p className="text-muted-foreground">Stripe events since {formatUtc(f.since)} compared.</p>}
      <section>
        <h4 className="font-medium">Events Stripe had that we had not stored</h4>
        {f.ingested?.length ? (
          <ul className="mt-1 flex flex-col gap-1">
            {f.ingested.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-2">
                <Link to={`/webhooks/${e.id}`} className="font-mono text-xs underline-offset-2 hover:underline">
                  {e.id}
                </Link>
                <span className="text-muted-foreground">{e.type}</span>
                <EventStatusBadge status={e.status} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-muted-foreground">None: every event was delivered.</p>
        )}
      </section>
      <section>
        <h4 className="font-medium">Drift between Stripe and the ledger</h4>
        {d.localOnly && <p className="text-warning">Stripe was not reachable: only our side was checked.</p>}
        <ul className="mt-1 flex flex-col gap-1">
          {(d.paidWithoutGrant ?? []).map((p) => (
            <li key={p.stripeObject}>
              <Badge tone="danger">paid, no credits</Badge> <CopyId value={p.stripeObject} /> {p.kind},{' '}
              {formatMoney(p.amount, p.currency)} · <CustomerRef run={run} stripeCustomer={p.stripeCustomer} />
            </li>
          ))}
          {(d.grantsWithoutPayment ?? []).map((g) => (
            <li key={g.lotId}>
              <Badge tone="warning">credits, no payment</Badge> {formatCredits(g.granted)} credits for{' '}
              <CopyId value={g.stripeReference} /> · <CustomerRef run={run} id={g.customerId} />
            </li>
          ))}
          {(d.grantsOnRefundedPayments ?? []).map((g) => (
            <li key={g.lotId}>
              <Badge tone="warning">refunded, credits left</Badge> {formatCredits(g.remaining)} credits on{' '}
              <CopyId value={g.stripeReference} /> · <CustomerRef run={run} id={g.customerId} />
            </li>
          ))}
        </ul>
        {!(d.paidWithoutGrant?.length || d.grantsWithoutPayment?.length || d.grantsOnRefundedPayments?.length) && (
          <p className="text-muted-foreground">No drift found.</p>
        )}
      </section>
    </div>
  );
}

export function ReconciliationTab() {
  const trpc = useTRPC();
  const me = useStaff();
  const queryClient = useQueryClient();
  const runs = useQuery(trpc.webhooks.reconciliationRuns.queryOptions({ limit: 10 }));
  const runNow = useMutation(
    trpc.webhooks.runReconciliation.mutationOptions({
      onSuccess: async (run) => {
        if (run.status === 'failed') toast.error(`Reconciliation failed: ${run.error ?? 'unknown error'}`);
        else toast.success(`Reconciliation done: ${reconciliationSummary(run)}`);
        await Promise.all([
          queryClient.invalidateQueries(trpc.webhooks.pathFilter()),
          queryClient.invalidateQueries(trpc.webhooksAdmin.pathFilter()),
        ]);
      },
      onError: (err) => toastError(err),
    }),
  );
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground">
          Hourly, Creditdesk lists Stripe’s recent events, stores and applies any that never arrived, and compares
          Stripe’s payments with our grants.
        </p>
        {me.role !== 'finance' && (
          <Button size="sm" variant="outline" disabled={runNow.isPending} onClick={() => runNow.mutate()}>
            {runNow.isPending ? 'Running…' : 'Run reconciliation now'}
          </Button>
        )}
      </div>
      {runs.isPending && <SkeletonRows rows={4} />}
      {runs.isError && <ErrorState error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.data && runs.data.length === 0 && (
        <EmptyState title="No reconciliation run yet">The first run happens within the hour, or run it now.</EmptyState>
      )}
      {runs.data && runs.data.length > 0 && (
        <ol className="flex flex-col gap-3" aria-label="Reconciliation runs, newest first">
          {runs.data.map((run, i) => (
            <li key={run.id} className="rounded-lg border px-4 py-3">
              <details open={i === 0}>
                <summary className="cursor-pointer text-sm outline-none focus-visible:ring-2 focus-visible:ring-ring">
                  <span className="font-medium">
                    <TimeAgo date={run.startedAt} />
                  </span>{' '}
                  <StatusBadge kind="run" status={run.status} />{' '}
                  <span className="text-muted-foreground">{reconciliationSummary(run)}</span>
                </summary>
                <div className="mt-3">
                  <RunDetails run={run} />
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
