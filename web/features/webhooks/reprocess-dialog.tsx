// Reprocess one or many stored events: a dry run first (what it would do, nothing written), then
// the reason (audited with each event), then the run itself, one event at a time with progress;
// Cancel stops after the event in hand. Used by the event list, an event's page, the failure
// queues and the catalog's price mapping helper.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, SkeletonRows } from '@/components/states';
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
import { formatCredits } from '@/lib/format';
import { useTRPCClient } from '@/lib/trpc';
import { DryRunReportView, type DryRunReport } from './dry-run-report';
import { ReprocessProgress, useReprocessRun } from './reprocess-run';

const CHUNK = 50;

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
  const client = useTRPCClient();
  const [reason, setReason] = useState('');
  const runner = useReprocessRun(onRunning);
  const phase = runner.phase === 'idle' ? 'review' : runner.phase;
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

  const valid = reason.trim().length >= 5;

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (phase === 'review' && valid && dryRun.data) void runner.run(eventIds, reason.trim());
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
        <>
          <ReprocessProgress state={runner} />
          <DialogFooter>
            {phase === 'running' ? (
              <Button type="button" variant="outline" disabled={runner.cancelRequested} onClick={runner.cancel}>
                {runner.cancelRequested ? 'Stopping…' : 'Cancel'}
              </Button>
            ) : (
              <Button type="button" onClick={onClose}>
                Done
              </Button>
            )}
          </DialogFooter>
        </>
      )}
    </form>
  );
}
