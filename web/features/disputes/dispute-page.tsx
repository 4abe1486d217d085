// One dispute, answer first: how much, why, and how long is left; then the evidence pack (text
// fields, the PDF, and the facts behind them), the disputed charge with its frozen credits, and
// the customer's history. Staging and submitting are separate confirmed actions that restate
// their effect; the tab lives in the URL.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ChevronLeftIcon, SendIcon, UploadIcon } from 'lucide-react';
import { Tabs } from 'radix-ui';
import { useCallback, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { CopyId } from '@/components/copy-id';
import { ReasonDialog } from '@/components/reason-dialog';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { StaffName } from '@/components/staff-name';
import { toastError } from '@/lib/errors';
import { formatMoney, formatUtc } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { DisputeSidebar } from './dispute-sidebar';
import { DisputeStateBadge, reasonLabel } from './dispute-words';
import { DueCountdown, formatLeft, useNow } from './due-countdown';
import { EvidenceEditor } from './evidence-editor';
import { EvidenceFacts } from './evidence-facts';
import { EvidencePdf } from './evidence-pdf';
import { evidenceActionInput } from '../../../server/contracts/disputes.ts';
import { statusLabel } from '../../../server/contracts/status-words.ts';

export type DisputeView = RouterOutputs['disputes']['get'];

const TABS = [
  ['evidence', 'Evidence text'],
  ['pdf', 'PDF preview'],
  ['facts', 'Facts gathered'],
] as const;
type Tab = (typeof TABS)[number][0];

function Actions({ v, dirty }: { v: DisputeView; dirty: boolean }) {
  const trpc = useTRPC();
  const me = useStaff();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<'stage' | 'submit' | null>(null);
  const now = useNow();
  const d = v.dispute;
  const refresh = () => queryClient.invalidateQueries(trpc.disputes.pathFilter());
  const stage = useMutation(
    trpc.disputes.stage.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Evidence staged on Stripe (${r.pages} page PDF); not yet submitted to the bank`);
        setOpen(null);
        await refresh();
      },
      onError: (e) => toastError(e, 'Staging failed'),
    }),
  );
  const submit = useMutation(
    trpc.disputes.submit.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Evidence submitted: the dispute is ${statusLabel('dispute', r.status)}`);
        setOpen(null);
        await refresh();
      },
      onError: (e) => toastError(e, 'Submitting failed'),
    }),
  );
  const answerable = ['needs_response', 'staged', 'overdue'].includes(v.due.state);
  if (!answerable) return null;
  const canAct = me.role === 'support' || me.role === 'admin';
  const staged = !!d.stagedAt && !v.changedSinceStaged;
  const why = !canAct
    ? 'Evidence is staged and submitted by support or admin'
    : dirty
      ? 'Save your edits first'
      : undefined;
  const amount = formatMoney(d.amount, d.currency);
  const left = d.evidenceDueBy ? formatLeft(new Date(d.evidenceDueBy).getTime() - now) : 'no deadline';

  return (
    <div className="flex flex-wrap items-center gap-2">
      {d.stagedAt && (
        <span className="text-sm text-muted-foreground">
          {v.changedSinceStaged ? 'Edited since staged ' : 'Staged '}
          <TimeAgo date={d.stagedAt} />
        </span>
      )}
      <Button variant="outline" size="sm" disabled={!canAct || dirty} title={why} onClick={() => setOpen('stage')}>
        <UploadIcon aria-hidden /> {d.stagedAt ? 'Stage again' : 'Stage evidence'}
      </Button>
      <Button
        size="sm"
        disabled={!canAct || dirty || !staged}
        title={why ?? (staged ? undefined : 'Stage the evidence first: the bank receives exactly what was staged')}
        onClick={() => setOpen('submit')}
      >
        <SendIcon aria-hidden /> Submit to the bank
      </Button>
      <ReasonDialog
        open={open === 'stage'}
        onOpenChange={(o) => setOpen(o ? 'stage' : null)}
        title="Stage the evidence?"
        effect={
          <span>
            Renders the evidence PDF, uploads it to Stripe (purpose dispute_evidence) and saves the text fields on{' '}
            <code>{d.id}</code> with submit=false. The bank sees nothing until you submit; you can still edit and stage
            again. Evidence is due {d.evidenceDueBy ? formatUtc(d.evidenceDueBy) : '—'} ({left}).
          </span>
        }
        confirmLabel="Stage evidence"
        pending={stage.isPending}
        schema={evidenceActionInput.shape.reason}
        onConfirm={(reason) => stage.mutate({ disputeId: d.id, reason })}
      />
      <ReasonDialog
        open={open === 'submit'}
        onOpenChange={(o) => setOpen(o ? 'submit' : null)}
        title={`Submit the evidence for ${amount}?`}
        effect={
          <span>
            Sends the staged evidence for <code>{d.id}</code> ({amount}, {reasonLabel(d.reason)}) to the bank. The bank
            accepts one submission: nothing can be added or changed afterwards. {left}.
          </span>
        }
        confirmLabel="Submit to the bank"
        destructive
        pending={submit.isPending}
        schema={evidenceActionInput.shape.reason}
        onConfirm={(reason) => submit.mutate({ disputeId: d.id, reason })}
      />
    </div>
  );
}

export function DisputePage() {
  const { disputeId = '' } = useParams();
  const trpc = useTRPC();
  const me = useStaff();
  const [params, setParams] = useSearchParams();
  const tab = (TABS.find(([key]) => key === params.get('tab'))?.[0] ?? 'evidence') as Tab;
  const [dirty, setDirty] = useState(false);
  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);
  const q = useQuery(trpc.disputes.get.queryOptions({ disputeId }));

  if (q.isPending) return <SkeletonRows rows={10} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const v = q.data;
  const d = v.dispute;
  const answerable = ['needs_response', 'staged', 'overdue'].includes(v.due.state);
  const editable = answerable && (me.role === 'support' || me.role === 'admin');

  return (
    <div className="flex flex-col gap-4">
      <header className="flex flex-col gap-3">
        <Link
          to="/disputes"
          className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
        >
          <ChevronLeftIcon className="size-4" aria-hidden /> Disputes
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="flex min-w-0 flex-col gap-1">
            <h1 className="text-xl font-semibold tracking-tight">
              {formatMoney(d.amount, d.currency)} disputed: <span className="capitalize">{reasonLabel(d.reason)}</span>
            </h1>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted-foreground">
              <DisputeStateBadge state={v.due.state} />
              <DueCountdown dueBy={d.evidenceDueBy} active={answerable} className="text-sm" />
              <CopyId value={d.id} />
              <span className="flex items-center gap-1">
                charge <CopyId value={d.chargeId} />
              </span>
              <span>
                opened <TimeAgo date={d.stripeCreated} />
              </span>
              {d.submittedAt && (
                <span>
                  submitted <TimeAgo date={d.submittedAt} />
                </span>
              )}
              {d.remindedAt && !d.submittedAt && (
                <span>
                  reminded <TimeAgo date={d.remindedAt} />
                </span>
              )}
            </div>
          </div>
          <Actions v={v} dirty={dirty} />
        </div>
        {v.due.state === 'overdue' && (
          <p role="alert" className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm">
            The evidence deadline passed without a submission. Stripe may still accept it, but the bank is not obliged
            to consider late evidence.
          </p>
        )}
      </header>

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Tabs.Root
          value={tab}
          onValueChange={(next) => {
            const p = new URLSearchParams(params);
            p.set('tab', next);
            setParams(p, { replace: true });
          }}
          className="flex min-w-0 flex-col gap-4"
        >
          <Tabs.List aria-label="Evidence pack" className="flex gap-1 overflow-x-auto border-b">
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
          {!v.pack ? (
            <ErrorState error={new Error(v.packError ?? 'No evidence could be assembled')} />
          ) : (
            <>
              <Tabs.Content value="evidence" className="outline-none" forceMount hidden={tab !== 'evidence'}>
                {!v.packSaved && editable && (
                  <p className="mb-3 text-sm text-muted-foreground">
                    Assembled automatically from the customer’s history; edit anything before staging.
                  </p>
                )}
                {v.pack.editedAt && (
                  <p className="mb-3 text-sm text-muted-foreground">
                    Edited by <StaffName id={v.pack.editedBy} /> <TimeAgo date={v.pack.editedAt} />.
                  </p>
                )}
                <EvidenceEditor
                  disputeId={d.id}
                  fields={v.pack.fields}
                  editable={editable}
                  onDirtyChange={onDirtyChange}
                />
              </Tabs.Content>
              <Tabs.Content value="pdf" className="outline-none">
                <EvidencePdf disputeId={d.id} dirty={dirty} />
              </Tabs.Content>
              <Tabs.Content value="facts" className="outline-none">
                <EvidenceFacts facts={v.pack.facts} />
              </Tabs.Content>
            </>
          )}
        </Tabs.Root>
        <DisputeSidebar v={v} />
      </div>
    </div>
  );
}
