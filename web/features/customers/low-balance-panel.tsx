// The customer's own credits.low threshold (the outbound event the product hears when the balance
// drops under it). Blank: the plan's default. Audited with a reason.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { setLowBalanceThresholdInput } from '../../../server/contracts/topups.ts';
import { FormError, InputField } from '@/components/field';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { describeError } from '@/lib/errors';
import { numberOrNull } from '@/lib/form-values';
import { useTRPC } from '@/lib/trpc';

type Values = z.input<typeof setLowBalanceThresholdInput>;

export function LowBalancePanel({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const current = useQuery(trpc.topups.lowBalance.queryOptions({ customerId }));
  if (current.isPending) return <SkeletonRows rows={1} />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const s = current.data;
  const saved: Values = { customerId, threshold: s.customer, reason: '' };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Low-balance alert</CardTitle>
        <CardDescription>
          The product hears <code>credits.low</code> once each time the balance drops under this. Now:{' '}
          {s.effective == null ? 'never' : `${s.effective.toLocaleString()} credits`}
          {s.customer == null ? ' (plan default)' : ` (plan default: ${s.plan?.toLocaleString() ?? 'none'})`}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {/* Starts again from what is saved whenever that changes (after a save). */}
        <LowBalanceForm key={JSON.stringify(saved)} saved={saved} />
      </CardContent>
    </Card>
  );
}

function LowBalanceForm({ saved }: { saved: Values }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [serverError, setServerError] = useState<string | null>(null);
  const form = useForm<Values, unknown, z.output<typeof setLowBalanceThresholdInput>>({
    resolver: zodResolver(setLowBalanceThresholdInput),
    defaultValues: saved,
  });
  const save = useMutation(
    trpc.topups.setLowBalance.mutationOptions({
      onSuccess: async () => {
        toast.success('Low-balance threshold saved');
        await queryClient.invalidateQueries(trpc.topups.lowBalance.queryFilter({ customerId: saved.customerId }));
        form.reset();
      },
      onError: (err) => setServerError(describeError(err).message),
    }),
  );
  return (
    <form
      className="grid gap-3 sm:grid-cols-2"
      noValidate
      onSubmit={(e) =>
        void form.handleSubmit((input) => {
          setServerError(null);
          save.mutate(input);
        })(e)
      }
    >
      <InputField
        form={form}
        name="threshold"
        id="low-threshold"
        label="Threshold (credits; blank: plan default)"
        inputMode="numeric"
        setValueAs={numberOrNull}
      />
      <InputField form={form} name="reason" id="low-reason" label="Reason (audited)" />
      <FormError className="sm:col-span-2">{serverError}</FormError>
      <div className="sm:col-span-2">
        <Button type="submit" size="sm" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save threshold'}
        </Button>
      </div>
    </form>
  );
}
