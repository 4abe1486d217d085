import { zodResolver } from '@hookform/resolvers/zod';
import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { z } from 'zod';
import { Field, FormError } from './field';
import { ReasonTextarea } from './reason-textarea';
import { Button } from './ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from './ui/dialog';

/** The reason field of the procedure the dialog confirms (e.g. `blockCustomerInput.shape.reason`). */
export type ReasonSchema = z.ZodType<string, string>;

/**
 * The confirm dialog for consequential actions: restates the effect in words and numbers and
 * asks for the reason that goes into the audit log. Enter confirms, Esc cancels. The reason is
 * checked by the procedure's own contract (its length rule and words), so the dialog cannot
 * drift from what the server accepts.
 */
export function ReasonDialog({
  open,
  onOpenChange,
  title,
  effect,
  confirmLabel,
  destructive,
  pending,
  pendingLabel,
  placeholder,
  error,
  schema,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  effect: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  pending?: boolean;
  /** The button's words while the action runs (default "Working…"). */
  pendingLabel?: string;
  placeholder?: string;
  /** Why the server refused the action, shown in the dialog (for errors a toast would hide). */
  error?: string | null;
  schema: ReasonSchema;
  onConfirm: (reason: string) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {/* Mounted per opening: the reason starts empty each time. */}
        {open && (
          <ReasonForm
            title={title}
            effect={effect}
            confirmLabel={confirmLabel}
            destructive={destructive}
            pending={pending}
            pendingLabel={pendingLabel}
            placeholder={placeholder}
            error={error}
            schema={schema}
            onConfirm={onConfirm}
            onCancel={() => onOpenChange(false)}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function ReasonForm({
  title,
  effect,
  confirmLabel,
  destructive,
  pending,
  pendingLabel = 'Working…',
  placeholder,
  error,
  schema,
  onConfirm,
  onCancel,
}: {
  title: string;
  effect: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  pending?: boolean;
  pendingLabel?: string;
  placeholder?: string;
  error?: string | null;
  schema: ReasonSchema;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const form = useForm<{ reason: string }, unknown, { reason: string }>({
    resolver: zodResolver(z.object({ reason: schema })),
    mode: 'onTouched',
    defaultValues: { reason: '' },
  });
  const { errors, isValid } = form.formState;
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit(({ reason }) => {
        if (!pending) onConfirm(reason);
      })}
    >
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription asChild>
          <div>{effect}</div>
        </DialogDescription>
      </DialogHeader>
      <Field id="reason" label="Reason (recorded in the audit log)" error={errors.reason?.message}>
        <ReasonTextarea
          id="reason"
          autoFocus
          invalid={!!errors.reason}
          placeholder={placeholder}
          {...form.register('reason')}
        />
      </Field>
      <FormError>{error}</FormError>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant={destructive ? 'destructive' : 'default'} disabled={!isValid || pending}>
          {pending ? pendingLabel : confirmLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
