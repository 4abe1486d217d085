// The refund calculator, from a payment: what was paid and what became of its credits, the formula
// with its numbers, the proposal. Finance may lower the amount (never raise it), gives a reason and
// the reason Stripe records, then a confirm step restates the effect in words and numbers. The
// request id is made when the dialog opens, so a double click or a retry is one refund; if the
// figures changed meanwhile the server says STALE and the dialog shows the new ones to confirm again.
import { Bought } from '@/components/catalog-name';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { toast } from 'sonner';
import { CopyId } from '@/components/copy-id';
import { controlProps, Field, FormError } from '@/components/field';
import { ReasonTextarea } from '@/components/reason-textarea';
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
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { describeError } from '@/lib/errors';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import {
  refundFormInput,
  STRIPE_REFUND_REASON_LABELS,
  STRIPE_REFUND_REASONS,
} from '../../../server/contracts/refunds.ts';
import { minorToMajorText, parseMajorAmount } from '../../../server/contracts/money.ts';

type Preview = RouterOutputs['refunds']['preview'];

/**
 * What the person writes is checked by the refund contract (`refundFormInput`: the request's
 * reason rules, and the amount typed in major units, held to the live proposal). The amount starts
 * as the proposal and follows it until it is edited.
 */
type RefundValues = z.input<ReturnType<typeof refundFormInput>>;

export function RefundDialog({
  paymentId,
  open,
  onOpenChange,
  onDone,
}: {
  paymentId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone?: () => void | Promise<unknown>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        {open && <RefundForm paymentId={paymentId} onClose={() => onOpenChange(false)} onDone={onDone} />}
      </DialogContent>
    </Dialog>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

function RefundForm({
  paymentId,
  onClose,
  onDone,
}: {
  paymentId: string;
  onClose: () => void;
  onDone?: () => void | Promise<unknown>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // One id per opening: retries, double clicks and a STALE round trip all reuse it.
  const [requestId] = useState(() => crypto.randomUUID());
  const base = useQuery(trpc.refunds.preview.queryOptions({ paymentId }));
  const currency = base.data?.calculation.currency ?? 'eur';
  const proposal = base.data?.calculation.proposal ?? 0;
  // Rebuilt when the proposal changes (react-hook-form reads its options on every render).
  const contract = useMemo(() => refundFormInput(currency, proposal), [currency, proposal]);
  const form = useForm<RefundValues, unknown, z.output<typeof contract>>({
    resolver: zodResolver(contract),
    mode: 'onTouched',
    defaultValues: { amount: '', reason: '', stripeReason: 'requested_by_customer' },
  });
  const [amountText, reason, stripeReason] = useWatch({
    control: form.control,
    name: ['amount', 'reason', 'stripeReason'],
  });
  const errors = form.formState.errors;
  const [step, setStep] = useState<'edit' | 'confirm'>('edit');
  const [notice, setNotice] = useState<string | null>(null);
  const [serverError, setServerError] = useState<{ message: string; retry: boolean } | null>(null);

  // The amount shows the proposal until it is edited, and again after a STALE answer.
  useEffect(() => {
    if (!base.data) return;
    if (form.getFieldState('amount').isDirty) void form.trigger('amount');
    else form.resetField('amount', { defaultValue: minorToMajorText(proposal, currency) });
  }, [base.data, proposal, currency, form]);

  const typed = form.getFieldState('amount').isDirty ? parseMajorAmount(amountText, currency) : null;
  const asked = useDebounced(typed, 250);
  const withAmount = useQuery({
    ...trpc.refunds.preview.queryOptions({ paymentId, amount: asked ?? undefined }),
    enabled: asked !== null && asked > 0 && asked !== base.data?.calculation.proposal,
    placeholderData: (previous) => previous,
  });
  const preview: Preview | undefined =
    asked !== null && asked !== base.data?.calculation.proposal && withAmount.data ? withAmount.data : base.data;

  const request = useMutation(
    trpc.refunds.request.mutationOptions({
      onSuccess: async (result) => {
        const r = result.refund;
        if (r.status === 'pending_approval') {
          toast.success(
            `Refund of ${formatMoney(r.amount, r.currency)} is waiting for a second finance user or an admin to approve`,
          );
        } else {
          toast.success(
            `Refunded ${formatMoney(r.amount, r.currency)}${r.stripeRefundId ? ` (${r.stripeRefundId})` : ''}; ${formatCredits(r.creditsClawedBack)} credits taken back`,
          );
        }
        // The customer page (balance, payments, timeline, ledger) and the Refunds page read again.
        await Promise.all([
          queryClient.invalidateQueries(trpc.refunds.pathFilter()),
          queryClient.invalidateQueries(trpc.support.pathFilter()),
          queryClient.invalidateQueries(trpc.ledger.pathFilter()),
          queryClient.invalidateQueries(trpc.customers.pathFilter()),
          onDone?.(),
        ]);
        onClose();
      },
      onError: async (err) => {
        const info = describeError(err);
        if (info.code === 'STALE') {
          setNotice(
            'The figures changed since this was opened (credits used, or another refund). Check the new figures and confirm again.',
          );
          setStep('edit');
          form.resetField('amount');
          await queryClient.invalidateQueries(trpc.refunds.preview.pathFilter());
          return;
        }
        const details = (err as { data?: { details?: { resumable?: boolean } | null } }).data?.details;
        setServerError({ message: info.message, retry: details?.resumable === true });
      },
    }),
  );

  if (base.isPending) return <SkeletonRows rows={6} />;
  if (base.isError || !preview) return <ErrorState error={base.error} onRetry={() => void base.refetch()} />;

  const calc = preview.calculation;
  const amount = typed ?? calc.proposal;
  const target = preview.stripeTarget?.id ?? 'the payment';
  const credits = preview.amount === amount ? preview.creditsForAmount : null;
  const canContinue = !calc.blockedReason && credits !== null && form.formState.isValid && !preview.waitingRequest;

  const submit = () =>
    request.mutate({
      paymentId,
      amount,
      reason: reason.trim(),
      stripeReason,
      requestId,
      fingerprint: calc.fingerprint,
    });

  if (step === 'confirm') {
    return (
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!request.isPending) submit();
        }}
      >
        <DialogHeader>
          <DialogTitle>Confirm the refund</DialogTitle>
          <DialogDescription>This sends money back through Stripe and cannot be undone from here.</DialogDescription>
        </DialogHeader>
        <p
          className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-3 text-sm"
          data-testid="refund-effect"
        >
          Refund <strong className="tabular-nums">{formatMoney(amount, currency)}</strong> to{' '}
          <span className="font-mono">{target}</span>, claw back{' '}
          <strong className="tabular-nums">{formatCredits(credits ?? 0)}</strong> credits.
        </p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">Reason</dt>
          <dd>{reason.trim()}</dd>
          <dt className="text-muted-foreground">Stripe reason</dt>
          <dd>{STRIPE_REFUND_REASON_LABELS[stripeReason]}</dd>
        </dl>
        {preview.needsApproval && (
          <p className="text-sm text-warning">
            The refunds on this payment would total more than{' '}
            {formatMoney(preview.approval.above, preview.approval.currency)}: this one will wait for a second finance
            user or an admin to approve it. Nothing moves until then.
          </p>
        )}
        <FormError>{serverError?.message}</FormError>
        <DialogFooter>
          <Button type="button" variant="outline" onClick={() => setStep('edit')} disabled={request.isPending}>
            Back
          </Button>
          <Button type="submit" variant="destructive" autoFocus disabled={request.isPending}>
            {request.isPending
              ? 'Refunding…'
              : serverError?.retry
                ? 'Retry'
                : preview.needsApproval
                  ? 'Request approval'
                  : `Refund ${formatMoney(amount, currency)}`}
          </Button>
        </DialogFooter>
      </form>
    );
  }

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit(() => {
        if (canContinue) {
          setServerError(null);
          setStep('confirm');
        }
      })}
    >
      <DialogHeader>
        <DialogTitle>Refund a payment</DialogTitle>
        <DialogDescription asChild>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span>
              {preview.kind === 'subscription' ? 'Subscription invoice' : 'Payment'}
              {preview.catalogKey && (
                <>
                  {' for '}
                  <Bought kind={preview.kind} catalogKey={preview.catalogKey} />
                </>
              )}
            </span>
            {preview.customer && <span>· {preview.customer.email}</span>}
            {preview.stripeTarget && <CopyId value={preview.stripeTarget.id} />}
          </div>
        </DialogDescription>
      </DialogHeader>

      {notice && (
        <p role="status" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
          {notice}
        </p>
      )}

      <Breakdown preview={preview} />

      {calc.blockedReason ? (
        <p role="alert" className="text-sm text-destructive">
          {calc.blockedReason}
        </p>
      ) : preview.waitingRequest ? (
        <p role="alert" className="text-sm text-warning">
          A refund of {formatMoney(preview.waitingRequest.amount, preview.waitingRequest.currency)} for this payment is
          already waiting for approval on the Refunds page.
        </p>
      ) : (
        <>
          <div className="grid grid-cols-2 gap-3">
            <Field
              id="refund-amount"
              label={`Amount (${currency.toUpperCase()})`}
              error={errors.amount?.message}
              hint={
                credits !== null
                  ? `Claws back ${formatCredits(credits)} credits${preview.needsApproval ? '; needs approval' : ''}`
                  : 'Working out the credits…'
              }
            >
              <Input
                inputMode="decimal"
                className="tabular-nums"
                {...controlProps('refund-amount', errors.amount)}
                // Checked while typing: the credits it claws back are worked out as it changes.
                {...form.register('amount', { onChange: () => void form.trigger('amount') })}
              />
            </Field>
            <Field id="refund-stripe-reason" label="Reason Stripe records" error={errors.stripeReason?.message}>
              <NativeSelect id="refund-stripe-reason" {...form.register('stripeReason')}>
                {STRIPE_REFUND_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {STRIPE_REFUND_REASON_LABELS[r]}
                  </option>
                ))}
              </NativeSelect>
            </Field>
          </div>
          <Field id="refund-reason" label="Reason (recorded in the audit log)" error={errors.reason?.message}>
            <ReasonTextarea id="refund-reason" invalid={!!errors.reason} {...form.register('reason')} />
          </Field>
        </>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={!canContinue}>
          Review refund
        </Button>
      </DialogFooter>
    </form>
  );
}

function Breakdown({ preview }: { preview: Preview }) {
  const c = preview.calculation;
  const money = (m: number) => formatMoney(m, c.currency);
  const rows: Array<[string, string, boolean?]> = [
    ['Amount paid', money(c.amountPaid)],
    ['Credits granted', formatCredits(c.granted)],
    ['Used', formatCredits(c.used)],
    ['Expired', formatCredits(c.expired)],
    ['Frozen (dispute)', formatCredits(c.frozen)],
    ...(c.refundedCredits
      ? ([['Taken back by earlier refunds', formatCredits(c.refundedCredits)]] as Array<[string, string]>)
      : []),
    ...(c.disputed ? ([['Lost to a dispute', formatCredits(c.disputed)]] as Array<[string, string]>) : []),
    ['Remaining', formatCredits(c.remaining)],
    ['Already refunded', money(c.alreadyRefunded)],
    ['Proposed refund', money(c.proposal), true],
  ];
  return (
    <div className="flex flex-col gap-2" data-testid="refund-calculation">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-md border px-3 py-2 text-sm sm:grid-cols-[1fr_auto_1fr_auto]">
        {rows.map(([label, value, strong]) => (
          <div key={label} className="contents">
            <dt className={strong ? 'font-medium' : 'text-muted-foreground'}>{label}</dt>
            <dd className={`text-right tabular-nums ${strong ? 'font-semibold' : ''}`}>{value}</dd>
          </div>
        ))}
      </dl>
      <p className="rounded-md bg-muted/60 px-3 py-2 font-mono text-xs" data-testid="refund-formula">
        {c.formula}
      </p>
      {!preview.stripeChecked && (
        <p className="text-xs text-muted-foreground">
          Stripe could not be asked just now: figures use what Creditdesk knows; Stripe is asked again on confirm.
        </p>
      )}
    </div>
  );
}
