// Refunds: requests waiting for a second pair of eyes (with the figures as they stand now), and the
// history of every refund with its status. The tab and the status filter live in the URL.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useListParams } from '@/components/data-table/use-list-params';
import { ReasonDialog } from '@/components/reason-dialog';
import { StaffName } from '@/components/staff-name';
import { EmptyState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { describeError, toastError } from '@/lib/errors';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { approveRefundInput, rejectRefundInput } from '../../../server/contracts/refunds.ts';
import { REFUND_STATUSES } from '../../../server/contracts/statuses.ts';
import { refundColumns, target, type RefundItem as Item } from './refund-columns';

type View = 'awaiting' | 'history';
const PAGE_SIZE = 25;

export function RefundsPage() {
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'history' ? 'history' : 'awaiting';
  const status = REFUND_STATUSES.find((s) => s === params.get('status')) ?? null;
  const set = (key: string, value: string | null) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    // Another tab or status is another list: its pages start again.
    p.delete('after');
    setParams(p, { replace: true });
  };
  return (
    <div>
      <PageHeader
        title="Refunds"
        description="Refunds above the catalog's threshold wait here for a second finance user or an admin. Every refund, from Creditdesk or Stripe's dashboard, is in the history."
      />
      <Tabs.Root value={view} onValueChange={(v) => set('view', v === 'awaiting' ? null : v)}>
        <Tabs.List aria-label="Refund views" className="mb-4 flex gap-1 border-b">
          {(
            [
              ['awaiting', 'Awaiting approval'],
              ['history', 'History'],
            ] as const
          ).map(([key, label]) => (
            <Tabs.Trigger
              key={key}
              value={key}
              className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground data-[state=active]:border-primary data-[state=active]:text-foreground"
            >
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="awaiting">
          <RefundList view="awaiting" status={null} />
        </Tabs.Content>
        <Tabs.Content value="history">
          <div className="mb-3 flex items-center gap-2">
            <label htmlFor="refund-status" className="text-sm text-muted-foreground">
              Status
            </label>
            <NativeSelect
              id="refund-status"
              value={status ?? ''}
              onChange={(e) => set('status', e.target.value || null)}
            >
              <option value="">Any</option>
              {REFUND_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replaceAll('_', ' ')}
                </option>
              ))}
            </NativeSelect>
          </div>
          <RefundList view="history" status={status} />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}

function RefundList({ view, status }: { view: View; status: (typeof REFUND_STATUSES)[number] | null }) {
  const trpc = useTRPC();
  const { pager } = useListParams([]);
  const list = useQuery(
    trpc.refunds.list.queryOptions(
      { view, status, cursor: pager.cursor, limit: PAGE_SIZE },
      { placeholderData: keepPreviousData },
    ),
  );
  return (
    <div className="flex flex-col gap-3">
      <DataTable
        label={view === 'awaiting' ? 'Refunds awaiting approval' : 'Refund history'}
        columns={refundColumns((item) => (
          <Decide item={item} />
        ))}
        data={list.data?.items}
        getRowId={(item) => item.id}
        isPending={list.isPending}
        isFetching={list.isFetching}
        error={list.error}
        onRetry={() => void list.refetch()}
        empty={
          view === 'awaiting' ? (
            <EmptyState title="Nothing waits for approval">
              Refunds above the catalog's approval threshold appear here after finance requests them from a payment on a
              customer's Payments tab.
            </EmptyState>
          ) : (
            <EmptyState title="No refunds yet">
              Refunds appear when finance refunds a payment from a customer's Payments tab, or when someone refunds in
              Stripe's dashboard.
            </EmptyState>
          )
        }
      />
      {list.data && <DataTablePagination pager={pager} nextCursor={list.data.nextCursor} words={['Newer', 'Older']} />}
    </div>
  );
}

function Decide({ item }: { item: Item }) {
  const trpc = useTRPC();
  const me = useStaff();
  const queryClient = useQueryClient();
  const [approving, setApproving] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.refunds.pathFilter());
  const approve = useMutation(
    trpc.refunds.approve.mutationOptions({
      onSuccess: async (r) => {
        toast.success(
          `Approved: ${formatMoney(r.refund.amount, r.refund.currency)} refunded, ${formatCredits(r.refund.creditsClawedBack)} credits taken back`,
        );
        setApproving(false);
        await refresh();
      },
      onError: async (err) => {
        setError(describeError(err).message);
        await refresh();
      },
    }),
  );
  const reject = useMutation(
    trpc.refunds.reject.mutationOptions({
      onSuccess: async () => {
        toast.success('Refund request rejected');
        setRejecting(false);
        await refresh();
      },
      onError: (err) => toastError(err),
    }),
  );
  const current = item.current;
  const mine = item.requestedBy?.id === me.id;
  const tooMuch = current ? item.amount > current.proposal : false;
  return (
    <div className="flex justify-end gap-1">
      <Button
        size="sm"
        onClick={() => {
          setError(null);
          setApproving(true);
        }}
        disabled={mine || !current || tooMuch || !!current?.blockedReason}
        title={
          mine
            ? 'You requested this refund: a second finance user or an admin approves it'
            : tooMuch
              ? 'The figures changed: at most ' +
                formatMoney(current!.proposal, item.currency) +
                ' can be refunded now; reject and request again'
              : (current?.blockedReason ?? undefined)
        }
      >
        Approve
      </Button>
      <Button size="sm" variant="outline" onClick={() => setRejecting(true)}>
        {mine ? 'Withdraw' : 'Reject'}
      </Button>
      <ReasonDialog
        open={approving}
        onOpenChange={setApproving}
        title="Approve the refund"
        effect={
          <div className="flex flex-col gap-3">
            <p>
              Requested by{' '}
              {item.requestedBy ? (
                <StaffName id={item.requestedBy.id} fallback={item.requestedBy.email ?? undefined} />
              ) : (
                'someone'
              )}
              : “{item.reason}”
            </p>
            <p className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-3 text-sm text-foreground">
              Refund <strong>{formatMoney(item.amount, item.currency)}</strong> to{' '}
              <span className="font-mono">{target(item) ?? 'the payment'}</span>, claw back{' '}
              <strong>{formatCredits(item.currentCredits ?? 0)}</strong> credits.
            </p>
            {item.currentRequestFormula && (
              <div className="flex flex-col gap-1 text-sm text-foreground">
                <p className="font-medium">This request</p>
                <p data-testid="request-formula" className="font-mono text-xs">
                  {item.currentRequestFormula}
                </p>
              </div>
            )}
            {current && (
              <p className="text-xs">
                For comparison, the most that can be refunded now: <span className="font-mono">{current.formula}</span>
              </p>
            )}
          </div>
        }
        confirmLabel="Approve and refund"
        destructive
        pending={approve.isPending}
        pendingLabel="Refunding…"
        placeholder="Why this refund may go out"
        error={error}
        // The reason is optional for the API; the approver on this screen always gives one.
        schema={approveRefundInput.shape.reason.unwrap()}
        onConfirm={(reason) => {
          if (current) approve.mutate({ refundId: item.id, fingerprint: current.fingerprint, reason });
        }}
      />
      <ReasonDialog
        open={rejecting}
        onOpenChange={setRejecting}
        title={mine ? 'Withdraw the refund request' : 'Reject the refund request'}
        effect={`No money moves and no credits are taken back: the ${formatMoney(item.amount, item.currency)} request is closed.`}
        confirmLabel={mine ? 'Withdraw' : 'Reject'}
        pending={reject.isPending}
        schema={rejectRefundInput.shape.reason}
        onConfirm={(reason) => reject.mutate({ refundId: item.id, reason })}
      />
    </div>
  );
}
