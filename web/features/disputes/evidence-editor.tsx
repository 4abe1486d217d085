// The evidence text fields sent to Stripe, editable until the evidence is submitted. The contract's
// schema is the resolver (per-field and total limits). "Re-assemble" gathers the facts again and
// drops the edits. Saving never reaches the bank: staging and submitting are separate actions.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { controlProps, Field } from '@/components/field';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import {
  EVIDENCE_TEXT_FIELD_NAMES,
  EVIDENCE_TEXT_FIELDS,
  EVIDENCE_TEXT_TOTAL_LIMIT,
  evidenceFields,
  type EvidenceFields,
} from '../../../server/contracts/disputes.ts';

/** The order a reviewer reads them in: the argument first, then identity, then logs and policies. */
const ORDER = [
  'uncategorized_text',
  'customer_name',
  'customer_email_address',
  'customer_purchase_ip',
  'service_date',
  'product_description',
  'access_activity_log',
  'refund_policy_disclosure',
  'cancellation_policy_disclosure',
  'cancellation_rebuttal',
  'refund_refusal_explanation',
] as const satisfies readonly (typeof EVIDENCE_TEXT_FIELD_NAMES)[number][];

export function EvidenceEditor({
  disputeId,
  fields,
  editable,
  onDirtyChange,
}: {
  disputeId: string;
  fields: EvidenceFields;
  editable: boolean;
  onDirtyChange: (dirty: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<EvidenceFields>({ resolver: zodResolver(evidenceFields), defaultValues: fields });
  const { errors, isDirty } = form.formState;
  const values = useWatch({ control: form.control });
  const total = Object.values(values).reduce((n, v) => n + (v?.length ?? 0), 0);
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  // A new pack from the server (saved, re-assembled) replaces the form; a refetch of the same one does not.
  const serverKey = JSON.stringify(fields);
  useEffect(() => form.reset(JSON.parse(serverKey) as EvidenceFields), [serverKey, form]);

  const refresh = () => queryClient.invalidateQueries(trpc.disputes.pathFilter());
  const save = useMutation(
    trpc.disputes.saveEvidence.mutationOptions({
      onSuccess: async (r) => {
        toast.success(r.changedFields.length ? `Saved ${r.changedFields.length} changed field(s)` : 'Nothing changed');
        await refresh();
      },
      onError: (e) => toastError(e),
    }),
  );
  const reassemble = useMutation(
    trpc.disputes.reassemble.mutationOptions({
      onSuccess: async () => {
        toast.success('Evidence gathered again from the customer’s history');
        await refresh();
      },
      onError: (e) => toastError(e),
    }),
  );

  return (
    <form
      noValidate
      aria-label="Evidence text"
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((f) => save.mutate({ disputeId, fields: f }))}
    >
      {ORDER.map((name) => {
        const spec = EVIDENCE_TEXT_FIELDS[name];
        const id = `evidence-${name}`;
        const length = values[name]?.length ?? 0;
        return (
          <Field
            key={name}
            id={id}
            label={spec.label}
            error={errors[name]?.message}
            hint={
              spec.multiline ? (
                <span className="tabular-nums">
                  {length.toLocaleString('en-US')} / {spec.max.toLocaleString('en-US')} characters · Stripe field{' '}
                  <code>{name}</code>
                </span>
              ) : undefined
            }
          >
            {spec.multiline ? (
              <Textarea
                readOnly={!editable}
                rows={name === 'access_activity_log' ? 10 : name === 'uncategorized_text' ? 7 : 4}
                className="font-mono text-xs"
                {...controlProps(id, errors[name])}
                {...form.register(name)}
              />
            ) : (
              <Input readOnly={!editable} {...controlProps(id, errors[name])} {...form.register(name)} />
            )}
          </Field>
        );
      })}
      {errors.root?.message && <p className="text-sm text-destructive">{errors.root.message}</p>}
      <div className="flex flex-wrap items-center gap-2">
        <span
          className={cn(
            'mr-auto text-xs tabular-nums',
            total > EVIDENCE_TEXT_TOTAL_LIMIT ? 'text-destructive' : 'text-muted-foreground',
          )}
        >
          {total.toLocaleString('en-US')} / {EVIDENCE_TEXT_TOTAL_LIMIT.toLocaleString('en-US')} characters in all fields
        </span>
        {editable && (
          <>
            <Button
              type="button"
              variant="ghost"
              size="sm"
              disabled={reassemble.isPending}
              onClick={() => {
                if (window.confirm('Gather the evidence again from the data? Your edits to the text are dropped.')) {
                  reassemble.mutate({ disputeId });
                }
              }}
            >
              Re-assemble from data
            </Button>
            <Button type="button" variant="outline" size="sm" disabled={!isDirty} onClick={() => form.reset(fields)}>
              Discard edits
            </Button>
            <Button type="submit" size="sm" disabled={!isDirty || save.isPending}>
              {save.isPending ? 'Saving…' : 'Save evidence'}
            </Button>
          </>
        )}
      </div>
    </form>
  );
}
