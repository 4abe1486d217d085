// Reprocess one or many stored events: a dry run first (what it would do, nothing written), then
// the reason (audited with each event), then the run itself, one event at a time with progress;
// Cancel stops after the event in hand. Used by the event list, an event's page, the failure
// queues and the catalog's price mapping helper. The reason is checked by the reprocess
// procedure's own contract.
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field } from '@/components/field';
import { ReasonTextarea } from '@/components/reason-textarea';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { formatCredits } from '@/lib/format';
import { useTRPCClient } from '@/lib/trpc';
import { reprocessReason } from '../../../server/contracts/webhooks.ts';
import { DryRunReportView, type DryRunReport } from './dry-run-report';
import { ReprocessProgress, useReprocessRun } from './reprocess-run';
import { RunDialog, RunFooter } from './run-dialog';

const reasonForm = z.object({ reason: reprocessReason });
type ReasonForm = z.input<typeof reasonForm>;

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
    <RunDialog open={open} running={running} onClose={() => onOpenChange(false)}>
      {open && (
        <ReprocessFlow
          key={eventIds.join(',')}
          eventIds={eventIds}
          title={title}
          onRunning={setRunning}
          onClose={() => onOpenChange(false)}
        />
      )}
    </RunDialog>
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
  const form = useForm<ReasonForm>({
    resolver: zodResolver(reasonForm),
    mode: 'onTouched',
    defaultValues: { reason: '' },
  });
  const { errors, isValid } = form.formState;
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

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit(({ reason }) => {
        if (phase === 'review' && dryRun.data) void runner.run(eventIds, reason);
      })}
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
          <Field
            id="reprocess-reason"
            label="Reason (recorded in the audit log with each event)"
            error={errors.reason?.message}
            hint="5 characters or more."
          >
            <ReasonTextarea
              id="reprocess-reason"
              placeholder="e.g. mapped price_… to the Pro plan"
              invalid={!!errors.reason}
              {...form.register('reason')}
            />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!isValid || !dryRun.data}>
              Reprocess {n === 1 ? 'event' : `${formatCredits(n)} events`}
            </Button>
          </DialogFooter>
        </>
      )}

      {phase !== 'review' && (
        <>
          <ReprocessProgress state={runner} />
          <RunFooter runner={runner} onClose={onClose} />
        </>
      )}
    </form>
  );
}
