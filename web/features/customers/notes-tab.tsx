// Support notes: append-only, newest first; adding one is audited like every staff action.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { controlProps, Field } from '@/components/field';
import { EmptyState } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { Textarea } from '@/components/ui/textarea';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { addNoteInput } from '../../../server/contracts/support.ts';
import type { Overview } from './customer-page';
import { useCustomerRefresh } from './use-customer-refresh';

type FormValues = z.input<typeof addNoteInput>;

export function NotesTab({ o }: { o: Overview }) {
  const trpc = useTRPC();
  const refresh = useCustomerRefresh();
  const form = useForm<FormValues>({
    resolver: zodResolver(addNoteInput),
    defaultValues: { customerId: o.customer.id, body: '' },
  });
  const add = useMutation(
    trpc.support.addNote.mutationOptions({
      onSuccess: async () => {
        toast.success('Note added');
        form.reset({ customerId: o.customer.id, body: '' });
        await refresh();
      },
      onError: (err) => toastError(err),
    }),
  );
  const { errors } = form.formState;
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-[2fr_1fr]">
      <section aria-label="Notes">
        {o.notes.length === 0 ? (
          <EmptyState title="No notes yet">
            Notes are for what the next agent should know: what the customer said, what you promised.
          </EmptyState>
        ) : (
          <ul className="flex flex-col divide-y rounded-lg border">
            {o.notes.map((n) => (
              <li key={n.id} className="px-4 py-3">
                <p className="text-sm whitespace-pre-wrap">{n.body}</p>
                <p className="mt-1 text-xs text-muted-foreground">
                  {n.author?.name ?? n.authorId} · <TimeAgo date={n.createdAt} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        noValidate
        className="flex flex-col gap-3"
        onSubmit={(e) => void form.handleSubmit((values) => add.mutate(addNoteInput.parse(values)))(e)}
      >
        <Field
          id="note-body"
          label="Add a note"
          error={errors.body?.message}
          hint="Visible to all staff and kept in the audit log."
        >
          <Textarea rows={5} {...controlProps('note-body', errors.body)} {...form.register('body')} />
        </Field>
        <Button type="submit" className="self-end" disabled={add.isPending}>
          {add.isPending ? 'Saving…' : 'Add note'}
        </Button>
      </form>
    </div>
  );
}
