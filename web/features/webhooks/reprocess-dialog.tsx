// Reprocess one or many stored events: a dry run first (what it would do, nothing written), then
// the reason (audited with each event), then the run itself, one event at a time with progress;
// Cancel stops after the event in hand. Used by the event list, an event's page, the failure
// queues and the catalog's price mapping helper.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ErrorState, SkeletonRows } from '@/components/states';
import { CopyId } from '@/components/copy-id';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/errors';
import { formatCredits } from '@/lib/format';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { DryRunReportView, type DryRunReport } from './dry-run-report';
import { EventStatusBadge } from './event-status';

const CHUNK = 50;

interface RunResult {
  eventId: string;
  status: string;
  summary?: string | null;
  error?: string | null;
}

function merge(reports: DryRunReport[]): DryRunReport {
  return {
    events: reports.flatMap((r) => r.events),
    customers: reports.flatMap((r) => r.customers),
    subscriptions: reports.flatMap((r) => r.subscriptions),
    payments: reports.flatMap((r) => r.payments),
    totals: {
      credits: reports.reduce((n, r) => n + r.totals.credits, 0),
      entries: reports.reduce((n, r) => n + r.totals.entries, 0),
      entitlementChanges: reports.reduce((n, r) => n + r.totals.entitlementChanges, 0),
      wouldFail: reports.reduce((n, r) => n + r.totals.wouldFail, 0),
    },
  };
}

export function ReprocessDialog({
  eventIds,
  open,
  onOpenChange,
  title,
}: {
  eventIds: string[];
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title?: string;
}) {
  const [running, setRunning] = useState(false);
  return (
    <Dialog open={open} onOpenChange={(o) => !running && onOpenChange(o)}>
      <DialogContent
        className="max-h-[90vh] overflow-y-auto sm:max-w-3xl"
        onEscapeKeyDown={(e) => running && e.preventDefault()}
        onPointerDownOutside={(e) => running && e.preventDefault()}
      >
        {open && (
          <ReprocessFlow
            key={eventIds.join(',')}
            eventIds={eventIds}
            title={title}
            onRunning={setRunning}
            onClose={() => onOpenChange(false)}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function ReprocessFlow({
  eventIds,
  title,
  onRunning,
  onClose,
}: {
  eventIds: string[];
  title?: string;
  onRunning: (running: boolean) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [phase, setPhase] = useState<'review' | 'running' | 'done'>('review');
  const [results, setResults] = useState<RunResult[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const cancelled = useRef(false);
  const [cancelRequested, setCancelRequested] = useState(false);
  const n = eventIds.length;

  const dryRun = useQuery({
    queryKey: ['webhooksAdmin.dryRun', eventIds],
    staleTime: 0,
    gcTime: 0,
    retry: false,
    queryFn: async () => {
      const reports: DryRunReport[] = [];
      for (let i = 0; i < eventIds.length; i += CHUNK) {
        reports.push(await client.webhooksAdmin.dryRun.mutate({ eventIds: eventIds.slice(i, i + CHUNK) }));
      }
      return merge(reports);
    },
  });

  async function run() {
    cancelled.current = false;
    setPhase('running');
    onRunning(true);
    const done: RunResult[] = [];
    for (const eventId of eventIds) {
      if (cancelled.current) break;
      setCurrent(eventId);
      try {
        const r = await client.webhooks.reprocess.mutate({ eventId, reason: reason.trim() });
        done.push({ eventId, status: r.status, summary: r.summary ?? null, error: r.error ?? null });
      } catch (err) {
        done.push({ eventId, status: 'error', error: describeError(err).message });
      }
      setResults([...done]);
    }
    setCurrent(null);
    setPhase('done');
    onRunning(false);
    await Promise.all([
      queryClient.invalidateQueries(trpc.webhooks.pathFilter()),
      queryClient.invalidateQueries(trpc.webhooksAdmin.pathFilter()),
      queryClient.invalidateQueries(trpc.catalogAdmin.unmappedPrices.pathFilter()),
      queryClient.invalidateQueries(trpc.support.pathFilter()),
    ]);
  }

  const valid = reason.trim().length >= 5;
  const processed = results.filter((r) => r.status === 'processed').length;
  const notApplied = results.filter((r) => r.status !== 'processed' && r.status !== 'ignored');

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (phase === 'review' && valid && dryRun.data) void run();
      }}
    >
      <DialogHeader>
        <DialogTitle>{title ?? `Reprocess ${n === 1 ? eventIds[0] : `${formatCredits(n)} events`}`}</DialogTitle>
        <DialogDescription>
          {phase === 'review'
            ? 'Dry run: what reprocessing would do, worked out on a copy that is thrown away. Nothing has changed yet.'
            : phase === 'running'
              ? 'Reprocessing, one event at a time. Cancel stops after the event in hand.'
              : 'Done. Each reprocess is in the audit log with your reason.'}
        </DialogDescription>
      </DialogHeader>

      {phase === 'review' && (
        <>
          {dryRun.isPending && <SkeletonRows rows={4} />}
          {dryRun.isError && <ErrorState error={dryRun.error} onRetry={() => void dryRun.refetch()} />}
          {dryRun.data && <DryRunReportView report={dryRun.data} />}
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="reprocess-reason">Reason (recorded in the audit log with each event)</Label>
            <Textarea
              id="reprocess-reason"
              value={reason}
              placeholder="e.g. mapped price_… to the Pro plan"
              onChange={(e) => setReason(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey) {
                  e.preventDefault();
                  e.currentTarget.form?.requestSubmit();
                }
              }}
            />
            <p className="text-xs text-muted-foreground">5 characters or more.</p>
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!valid || !dryRun.data}>
              Reprocess {n === 1 ? 'event' : `${formatCredits(n)} events`}
            </Button>
          </DialogFooter>
        </>
      )}

      {phase !== 'review' && (
        <div className="flex flex-col gap-3">
          <div className="flex flex-col gap-1">
            <progress
              className="h-2 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-primary [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-primary"
              value={results.length}
              max={n}
              aria-label="Reprocess progress"
            />
            <p role="status" aria-live="polite" className="text-sm tabular-nums">
              {formatCredits(results.length)} of {formatCredits(n)} reprocessed · {formatCredits(processed)} applied ·{' '}
              {formatCredits(notApplied.length)} not applied
              {current && (
                <>
                  {' · now '}
                  <span className="font-mono text-xs">{current}</span>
                </>
              )}
              {phase === 'done' &&
                results.length < n &&
                ` · cancelled, ${formatCredits(n - results.length)} not reprocessed`}
            </p>
          </div>
          {notApplied.length > 0 && (
            <ul className="flex max-h-48 flex-col gap-1 overflow-y-auto text-sm" aria-label="Events not applied">
              {notApplied.map((r) => (
                <li key={r.eventId} className="flex flex-wrap items-center gap-2">
                  <CopyId value={r.eventId} /> <EventStatusBadge status={r.status} />
                  <span className="text-destructive">{r.error}</span>
                </li>
              ))}
            </ul>
          )}
          <DialogFooter>
            {phase === 'running' ? (
              <Button
                type="button"
                variant="outline"
                disabled={cancelRequested}
                onClick={() => {
                  cancelled.current = true;
                  setCancelRequested(true);
                }}
              >
                {cancelRequested ? 'Stopping…' : 'Cancel'}
              </Button>
            ) : (
              <Button type="button" onClick={onClose}>
                Done
              </Button>
            )}
          </DialogFooter>
        </div>
      )}
    </form>
  );
}
