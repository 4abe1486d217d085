// Manual grant or adjustment: the dialog restates the effect in numbers (balance before and
// after), asks for the reason, and sends a request id made when it opened, so a double submit is
// one grant. Above the catalog's limit it needs finance or admin: support is told before trying.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { useStaff } from '@/app/session';
import { controlProps, Field, FormError } from '@/components/field';
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
import { Textarea } from '@/components/ui/textarea';
import { describeError, toastError } from '@/lib/errors';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { manualGrantInput } from '../../../server/contracts/support.ts';
import { useCustomerRefresh } from './use-customer-refresh';

type FormValues = z.input<typeof manualGrantInput>;

export function ManualGrantDialog({
  open,
  onOpenChange,
  customer,
  balance,
  limit,
  suggested,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  customer: { id: string; email: string };
  balance: number;
  limit: number;
  suggested?: number | null;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open && (
          <GrantForm
            customer={customer}
            balance={balance}
            limit={limit}
            suggested={suggested}
            onDone={() => onOpenChange(false)}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function GrantForm({
  customer,
  balance,
  limit,
  suggested,
  onDone,
}: {
  customer: { id: string; email: string };
  balance: number;
  limit: number;
  suggested?: number | null;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const me = useStaff();
  const refresh = useCustomerRefresh();
  // One id per opening of the dialog: retries and double clicks replay instead of granting twice.
  const [requestId] = useState(() => crypto.randomUUID());
  const [serverError, setServerError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(manualGrantInput),
    defaultValues: {
      customerId: customer.id,
      credits: suggested ?? ('' as unknown as number),
      kind: 'grant',
      reason: '',
      requestId,
      expiresAt: null,
    },
  });
  const { errors } = form.formState;
  const credits = Number(useWatch({ control: form.control, name: 'credits' })) || 0;
  const kind = useWatch({ control: form.control, name: 'kind' });
  const overLimit = Math.abs(credits) > limit && me.role === 'support';
  const grant = useMutation(
    trpc.support.manualGrant.mutationOptions({
      onSuccess: async (r) => {
        toast.success(
          r.replayed
            ? 'This grant was already made: nothing added twice'
            : `${r.credits > 0 ? 'Added' : 'Removed'} ${formatCredits(Math.abs(r.credits))} credits; balance now ${formatCredits(r.balanceAfter)}`,
        );
        await refresh();
        onDone();
      },
      onError: (err) => {
        setServerError(describeError(err).message);
        toastError(err);
      },
    }),
  );

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) =>
        void form.handleSubmit((values) => {
          setServerError(null);
          grant.mutate(manualGrantInput.parse(values));
        })(e)
      }
    >
      <DialogHeader>
        <DialogTitle>Manual grant or adjustment</DialogTitle>
        <DialogDescription>
          For {customer.email}. Recorded in the ledger and the audit log with your name and reason.
        </DialogDescription>
      </DialogHeader>
      <div className="grid grid-cols-2 gap-3">
        <Field id="grant-kind" label="Type" error={errors.kind?.message}>
          <NativeSelect id="grant-kind" {...form.register('kind')}>
            <option value="grant">Goodwill grant (adds)</option>
            <option value="adjustment">Correction (adds or removes)</option>
          </NativeSelect>
        </Field>
        <Field
          id="grant-credits"
          label="Credits"
          error={errors.credits?.message}
          hint={kind === 'adjustment' ? 'Negative removes credits.' : undefined}
        >
          <Input
            type="number"
            inputMode="numeric"
            step={1}
            className="tabular-nums"
            {...controlProps('grant-credits', errors.credits)}
            {...form.register('credits', { valueAsNumber: true })}
          />
        </Field>
      </div>
      <Field id="grant-reason" label="Reason (recorded in the audit log)" error={errors.reason?.message}>
        <Textarea {...controlProps('grant-reason', errors.reason)} {...form.register('reason')} />
      </Field>
      <p className="rounded-md border bg-muted/50 px-3 py-2 text-sm" aria-live="polite" data-testid="grant-effect">
        {credits ? (
          <>
            {credits > 0 ? 'Adds' : 'Removes'}{' '}
            <strong className="tabular-nums">{formatCredits(Math.abs(credits))}</strong> credits: balance{' '}
            <span className="tabular-nums">{formatCredits(balance)}</span> →{' '}
            <strong className="tabular-nums">{formatCredits(balance + credits)}</strong>.
          </>
        ) : (
          'Enter the number of credits.'
        )}
      </p>
      <FormError>
        {overLimit
          ? `Over ${formatCredits(limit)} credits needs the finance or admin role. Ask a finance colleague, or grant less.`
          : serverError}
      </FormError>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={grant.isPending}>
          {grant.isPending ? 'Working…' : credits < 0 ? 'Remove credits' : 'Grant credits'}
        </Button>
      </DialogFooter>
    </form>
  );
}
