// The answer first: what is wrong with this account, in words, with the evidence one click away
// and the repair one more click away. When nothing is wrong it says so and shows the newest
// payment followed to its credits.
import { shortId } from '@/components/copy-id';
import { useQuery } from '@tanstack/react-query';
import { AlertTriangleIcon, ArrowRightIcon, CheckCircle2Icon, ClockIcon, InfoIcon } from 'lucide-react';
import { Skeleton } from '@/components/ui/skeleton';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/errors';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import type { BalanceBreakdown, Finding, Severity, VerdictStatus } from '../../../server/contracts/support.ts';
import { RepairButton } from './repair-button';
import { Words } from './words';

// Colour marks the edge and the icon only: badges and text keep their contrast on the card.
const STATUS_STYLE: Record<VerdictStatus, { box: string; icon: typeof InfoIcon; iconColor: string; label: string }> = {
  action: {
    box: 'border-l-destructive',
    icon: AlertTriangleIcon,
    iconColor: 'text-destructive',
    label: 'Needs action',
  },
  attention: { box: 'border-l-warning', icon: AlertTriangleIcon, iconColor: 'text-warning', label: 'Needs attention' },
  waiting: { box: 'border-l-warning', icon: ClockIcon, iconColor: 'text-warning', label: 'Waiting' },
  ok: { box: 'border-l-success', icon: CheckCircle2Icon, iconColor: 'text-success', label: 'All good' },
};

const SEVERITY_BADGE: Record<Severity, { tone: 'danger' | 'warning' | 'neutral'; label: string }> = {
  critical: { tone: 'danger', label: 'action needed' },
  warning: { tone: 'warning', label: 'attention' },
  waiting: { tone: 'warning', label: 'waiting' },
  info: { tone: 'neutral', label: 'explained' },
};

function Breakdown({ b }: { b: BalanceBreakdown }) {
  const rows: Array<[string, number, string?]> = [
    ['Granted', b.granted],
    ...(b.adjusted ? ([['Adjusted by hand', b.adjusted]] as Array<[string, number]>) : []),
    ...b.consumedByFeature.map((f): [string, number, string] => [`Used: ${f.feature}`, -f.credits, 'pl-4']),
    ...(b.consumedByFeature.length ? [] : ([['Used', -b.consumed]] as Array<[string, number]>)),
    ['Expired', -b.expired],
    ['Clawed back', -b.clawedBack],
  ];
  return (
    <table className="w-full max-w-sm text-sm tabular-nums" aria-label="Balance breakdown">
      <tbody>
        {rows.map(([label, n, cls]) => (
          <tr key={label} className="h-7">
            <th scope="row" className={cn('text-left font-normal text-muted-foreground', cls)}>
              {label}
            </th>
            <td className="text-right">{n > 0 ? `+${formatCredits(n)}` : formatCredits(n)}</td>
          </tr>
        ))}
        <tr className="h-7 border-t font-medium">
          <th scope="row" className="text-left">
            Balance
          </th>
          <td className="text-right">{formatCredits(b.balance)}</td>
        </tr>
        {b.frozen > 0 && (
          <tr className="h-7 text-warning">
            <th scope="row" className="text-left font-normal">
              of which frozen (dispute)
            </th>
            <td className="text-right">{formatCredits(b.frozen)}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function FindingView({
  finding,
  customerId,
  onEvidence,
  onManualGrant,
  isHeadline,
}: {
  finding: Finding;
  customerId: string;
  onEvidence: (id: string) => void;
  onManualGrant: (credits: number) => void;
  /** Its title is the banner's heading already: not repeated. */
  isHeadline?: boolean;
}) {
  const badge = SEVERITY_BADGE[finding.severity];
  return (
    <li className="flex flex-col gap-2 border-t py-3 first:border-t-0 first:pt-0" data-rule={finding.rule}>
      {!isHeadline && (
        <div className="flex flex-wrap items-start gap-2">
          <Badge tone={badge.tone}>{badge.label}</Badge>
          <h3 className="font-medium">
            <Words text={finding.title} />
          </h3>
        </div>
      )}
      <p className="max-w-3xl text-sm text-muted-foreground">
        <Words text={finding.explanation} />
      </p>
      {finding.breakdown && finding.rule === 'balance-breakdown' && <Breakdown b={finding.breakdown} />}
      {finding.evidence.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5 text-xs">
          <span className="text-muted-foreground">Evidence:</span>
          {finding.evidence.map((e) => (
            <button
              key={`${e.kind}:${e.id}`}
              type="button"
              className="rounded border bg-background px-1.5 py-0.5 font-mono hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring outline-none"
              onClick={() => onEvidence(e.id)}
              title={`Show ${e.label} ${e.id} in the timeline`}
            >
              {e.id}
            </button>
          ))}
        </div>
      )}
      {finding.repairs.length > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          {finding.repairs.map((r, i) => (
            <RepairButton
              key={`${r.kind}-${i}`}
              repair={r}
              customerId={customerId}
              primary={i === 0}
              onManualGrant={onManualGrant}
            />
          ))}
        </div>
      )}
    </li>
  );
}

export function VerdictBanner({
  customerId,
  onEvidence,
  onManualGrant,
}: {
  customerId: string;
  onEvidence: (id: string) => void;
  onManualGrant: (credits: number) => void;
}) {
  const trpc = useTRPC();
  const verdict = useQuery(trpc.support.verdict.queryOptions({ customerId }));
  if (verdict.isPending) {
    return (
      <section aria-label="Verdict" aria-busy="true" className="rounded-lg border p-4">
        <Skeleton className="mb-2 h-5 w-64" />
        <Skeleton className="h-4 w-full max-w-xl" />
      </section>
    );
  }
  if (verdict.isError) {
    return (
      <section
        aria-label="Verdict"
        role="alert"
        className="flex items-center justify-between gap-3 rounded-lg border border-destructive/40 p-4 text-sm"
      >
        <span>The verdict could not be worked out: {describeError(verdict.error).message}</span>
        <Button size="sm" variant="outline" onClick={() => void verdict.refetch()}>
          Retry
        </Button>
      </section>
    );
  }
  const v = verdict.data;
  const style = STATUS_STYLE[v.status];
  const main = v.findings.filter((f) => f.severity !== 'info');
  const notes = v.findings.filter((f) => f.severity === 'info');
  return (
    <section
      aria-labelledby="verdict-heading"
      className={cn('rounded-lg border border-l-4 bg-card p-4', style.box)}
      data-testid="verdict"
      data-status={v.status}
    >
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <style.icon className={cn('size-5 shrink-0', style.iconColor)} aria-hidden />
        <h2 id="verdict-heading" className="text-base font-semibold">
          <span className="sr-only">Verdict: </span>
          <Words text={v.headline} />
        </h2>
        <Badge tone={v.status === 'ok' ? 'success' : v.status === 'action' ? 'danger' : 'warning'} className="ml-auto">
          {style.label}
        </Badge>
      </div>
      {main.length > 0 && (
        <ul className="flex flex-col">
          {main.map((f, i) => (
            <FindingView
              key={`${f.rule}-${i}`}
              finding={f}
              customerId={customerId}
              onEvidence={onEvidence}
              onManualGrant={onManualGrant}
              isHeadline={i === 0 && f.title === v.headline}
            />
          ))}
        </ul>
      )}
      {v.status === 'ok' && v.lastChain && (
        <div className="flex flex-col gap-1.5">
          <p className="text-sm text-muted-foreground">Last payment, followed to its credits:</p>
          <ol className="flex flex-wrap items-center gap-1.5 text-sm" aria-label="Last payment to credit chain">
            {v.lastChain.map((step, i) => (
              <li key={`${step.kind}-${step.id}-${i}`} className="flex items-center gap-1.5">
                {i > 0 && <ArrowRightIcon className="size-3.5 text-muted-foreground" aria-hidden />}
                <button
                  type="button"
                  disabled={!step.id}
                  onClick={() => step.id && onEvidence(step.id)}
                  className="rounded border bg-background px-2 py-0.5 text-left outline-none hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring disabled:hover:bg-background"
                >
                  <Words text={step.label} />
                  {step.id && (
                    // Ledger entries read "#66" as in the Ledger tab; Stripe ids are cut in the middle.
                    <span className="ml-1.5 font-mono text-xs text-muted-foreground" title={step.id}>
                      {step.kind === 'entry' ? `#${step.id}` : shortId(step.id)}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
      {v.status === 'ok' && !v.lastChain && main.length === 0 && (
        <p className="text-sm text-muted-foreground">No payment yet: nothing to follow to credits.</p>
      )}
      {notes.length > 0 && (
        <ul className={cn('flex flex-col', (main.length > 0 || v.status === 'ok') && 'mt-3 border-t pt-3')}>
          {notes.map((f, i) => (
            <FindingView
              key={`${f.rule}-n${i}`}
              finding={f}
              customerId={customerId}
              onEvidence={onEvidence}
              onManualGrant={onManualGrant}
            />
          ))}
        </ul>
      )}
      {!v.stripe.checked && v.stripe.note && <p className="mt-3 text-xs text-muted-foreground">{v.stripe.note}.</p>}
    </section>
  );
}
