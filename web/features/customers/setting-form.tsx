// A customer setting's form (auto top-up, the low-balance alert): it starts from what is saved, is
// checked by the procedure's input contract, asks the audited reason, sends it, says so and reads
// the setting again; a refusal shows under the fields. The panels give the contract, the call and
// their own fields.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { FormError, InputField } from '@/components/field';
import { Button } from '@/components/ui/button';
import { describeError } from '@/lib/errors';

export function SettingForm<T extends FieldValues & { reason: string }, O>({
  id,
  contract,
  saved,
  save,
  savedMessage,
  submitLabel,
  children,
}: {
  /** Prefix of the controls' ids ("<id>-reason"). */
  id: string;
  contract: z.ZodType<O, T>;
  saved: T;
  /** Sends the contract's output and reads the setting again (the panel's query). */
  save: (input: O) => Promise<unknown>;
  savedMessage: string;
  submitLabel: string;
  children: (form: UseFormReturn<T, unknown, O>) => ReactNode;
}) {
  const [serverError, setServerError] = useState<string | null>(null);
  const form = useForm<T, unknown, O>({
    resolver: zodResolver(contract),
    defaultValues: saved as DefaultValues<T>,
  });
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: () => {
      toast.success(savedMessage);
      form.reset();
    },
    onError: (err) => setServerError(describeError(err).message),
  });
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      noValidate
      onSubmit={(e) =>
        void form.handleSubmit((input) => {
          setServerError(null);
          mutation.mutate(input);
        })(e)
      }
    >
      {children(form)}
      <InputField form={form} name={'reason' as Path<T>} id={`${id}-reason`} label="Reason (audited)" />
      <FormError className="sm:col-span-2">{serverError}</FormError>
      <div className="sm:col-span-2">
        <Button type="submit" size="sm" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}
